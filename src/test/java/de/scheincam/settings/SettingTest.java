package de.scheincam.settings;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import de.scheincam.core.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each row of the settings table: what it takes, what it refuses (from JSON and from settings.properties). */
class SettingTest {

    /** Per field: JSON it takes → the properties text it is saved as. */
    private static final Map<String, Map<Object, String>> GOOD = Map.ofEntries(
            Map.entry("start_time", Map.of("19:50", "19:50", "7:05:30", "07:05:30")),
            Map.entry("end_time", Map.of("22:10", "22:10", "0:00", "00:00")),
            Map.entry("weekdays", Map.of(List.of(4, 0, 6), "0,4,6", List.of(), "")),
            Map.entry("windows", Map.of("Tu-Fr 19:50-22:10; Sa 19:50-22:15", "Tu-Fr 19:50-22:10; Sa 19:50-22:15", "", "")),
            Map.entry("delete_age_days", Map.of(1, "1", 3650, "3650")),
            Map.entry("show_logo", Map.of(true, "true", false, "false")),
            Map.entry("obs_host", Map.of("127.0.0.1", "127.0.0.1", "obs.local", "obs.local", "[::1]", "[::1]")),
            Map.entry("obs_port", Map.of(1, "1", 65535, "65535")),
            Map.entry("obs_password", Map.of("", "", "sécret =:#!", "sécret =:#!")),
            Map.entry("shutdown_time", Map.of("", "", "23:30", "23:30")),
            Map.entry("ics_url", Map.of("", "", "programme.ics", "programme.ics",
                    "https://venue.example/p.ics?x=1", "https://venue.example/p.ics?x=1")));

    /** Per field: JSON it refuses (wrong type or out of range). */
    private static final Map<String, List<Object>> BAD = Map.ofEntries(
            Map.entry("start_time", List.of("25:00", "", 1950, "19.50")),
            Map.entry("end_time", List.of("22:60", List.of())),
            Map.entry("weekdays", List.of(List.of(7), List.of(1, 1), List.of("1"), "1,2")),
            Map.entry("windows", List.of("Xx 19:50-22:10", "Mo 19:50-22:10; Mo 20:00-21:00", "x".repeat(1001), 5)),
            Map.entry("delete_age_days", List.of(0, 3651, "14", 1.5)),
            Map.entry("show_logo", List.of("true", 1)),
            Map.entry("obs_host", List.of("", "a host", "x".repeat(254), 4455)),
            Map.entry("obs_port", List.of(0, 65536, "4455")),
            Map.entry("obs_password", List.of("x".repeat(257), 12)),
            Map.entry("shutdown_time", List.of("24:00", "late", 2330)),
            Map.entry("ics_url", List.of("ftp://venue.example/p.ics", "http://", "file\nname.ics", "x".repeat(2001), 1)));

    @Test
    void everyRowIsCoveredHereAndHasItsOwnFieldAndKey() {
        Set<String> fields = Setting.ALL.stream().map(Setting::field).collect(Collectors.toSet());
        assertThat(fields).hasSize(Setting.ALL.size()).isEqualTo(GOOD.keySet()).isEqualTo(BAD.keySet());
        assertThat(Setting.ALL.stream().map(Setting::key).distinct()).hasSize(Setting.ALL.size())
                .allMatch(k -> k.startsWith("scheincam."));
    }

    @Test
    void eachRowTakesGoodValuesAndSavesThemAsItReadsThem() {
        for (Setting<?> s : Setting.ALL) {
            GOOD.get(s.field()).forEach((json, text) -> roundTrip(s, json, text));
        }
    }

    private static <T> void roundTrip(Setting<T> s, Object json, String text) {
        T value = s.fromJson(json);
        assertThat(s.text(value)).as(s.field() + " " + json).isEqualTo(text);
        assertThat(s.parse(text)).as(s.field() + " read back from settings.properties").isEqualTo(value);
    }

    @Test
    void eachRowRefusesBadValuesNamingItsField() {
        for (Setting<?> s : Setting.ALL) {
            for (Object json : BAD.get(s.field())) {
                assertThatThrownBy(() -> s.fromJson(json)).as(s.field() + " " + json).isInstanceOf(Refusal.class)
                        .hasMessageContaining("'" + s.field() + "'");
            }
        }
    }

    @Test
    void aTextFromSettingsPropertiesIsCheckedToo() {
        assertThatThrownBy(() -> Setting.OBS_PORT.parse("70000")).isInstanceOf(Refusal.class).hasMessageContaining("obs_port");
        assertThatThrownBy(() -> Setting.SHOW_LOGO.parse("yes")).isInstanceOf(Refusal.class).hasMessageContaining("show_logo");
        assertThatThrownBy(() -> Setting.DELETE_AGE_DAYS.parse("")).isInstanceOf(Refusal.class);
    }

    /** The operator page builds its form from the contract's fields: they are the table's, in its order. */
    @Test
    void theContractNamesTheTablesFieldsInItsOrder() throws Exception {
        var contract = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(java.nio.file.Path.of("src/main/resources/openapi.yaml").toFile());
        List<String> put = new java.util.ArrayList<>();
        contract.at("/paths/~1settings/put/requestBody/content/application~1json/schema/properties").fieldNames().forEachRemaining(put::add);
        assertThat(put).containsExactlyElementsOf(Setting.ALL.stream().map(Setting::field).toList());
        var answer = contract.at("/components/schemas/Settings/properties");
        for (Setting<?> s : Setting.ALL) {
            String shown = s.kind() == SettingKind.SECRET ? s.field() + "_set" : s.field();
            assertThat(answer.has(shown)).as("Settings answers " + shown).isTrue();
        }
    }

    @Test
    void thePasswordIsShownOnlyAsWhetherOneIsSet() {
        assertThat(Setting.OBS_PASSWORD.kind().json("pw")).isEqualTo(true);
        assertThat(Setting.OBS_PASSWORD.kind().json("")).isEqualTo(false);
    }
}
