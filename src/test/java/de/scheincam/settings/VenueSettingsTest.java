package de.scheincam.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.core.Refusal;
import de.scheincam.schedule.ScheduleExceptions;
import de.scheincam.schedule.ShowScheduler;
import de.scheincam.schedule.WeekSetting;
import de.scheincam.schedule.WeekWindows;
import de.scheincam.schedule.WeeklySchedule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table at work: changes checked whole, applied as each row says, saved only where the operator set them. */
class VenueSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** As the app starts with them: application.properties, and the OBS port and password from the environment. */
    private final Map<String, String> started = new HashMap<>();

    @TempDir
    Path dir;
    private Path file;
    private ShowScheduler scheduler;
    private final List<String> applied = new ArrayList<>();
    private boolean logo = true;

    private final SettingTargets targets = new SettingTargets() {
        @Override
        public void schedule(WeekSetting week, LocalTime shutdown) {
            applied.add("schedule " + week.effective() + " shutdown " + shutdown);
        }

        @Override
        public void retentionDays(int days) {
            applied.add("retention " + days);
        }

        @Override
        public void logo(boolean visible) {
            logo = visible;
            applied.add("logo " + visible);
        }

        @Override
        public boolean logo() {
            return logo;
        }

        @Override
        public void obs(String host, int port, String password) {
            applied.add("obs " + host + ":" + port);
        }

        @Override
        public void calendar(String location) {
            applied.add("calendar " + location);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        Properties defaults = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            defaults.load(in);
        }
        defaults.stringPropertyNames().forEach(k -> started.put(k, defaults.getProperty(k).trim()));
        started.put("scheincam.obs.port", "4999");
        started.put("scheincam.obs.password", "from-env");
        file = dir.resolve("settings.properties");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        scheduler = new ShowScheduler(new WeeklySchedule(WeekWindows.parse(""), berlin, ScheduleExceptions.NONE, List.of()),
                true, Clock.systemUTC(), () -> false, () -> true, dir.resolve("exceptions.json"), JSON, 1,
                java.time.Duration.ofSeconds(1), (f, gap) -> { });
    }

    private VenueSettings settings() {
        return new VenueSettings(scheduler, targets, file, SettingValues.read(started::get),
                new SettingsAnswer.Fixed(30, 2, 10, 2, 0, false));
    }

    private Properties saved() {
        return VenueSettings.readSaved(file);
    }

    @Test
    void theAnswerHasTheFieldsInTheOrderTheApiAlwaysHad() throws Exception {
        String answer = JSON.writeValueAsString(settings().current());
        assertThat(answer).startsWith("{\"start_time\":\"19:50\",\"end_time\":\"22:10\",\"weekdays\":[2,3,4,5,6],"
                + "\"delete_age_days\":14,\"show_logo\":true,\"obs_host\":\"127.0.0.1\",\"obs_port\":4999,"
                + "\"obs_password_set\":true,\"shutdown_time\":\"\",\"timezone\":\"Europe/Berlin\",\"exceptions\":")
                .contains("\"windows\":\"\",\"ics_url\":\"\",\"week\":[")
                .endsWith("\"watchdog_interval_seconds\":30,\"watchdog_failures_before_action\":2,"
                        + "\"watchdog_black_threshold\":10.0,\"disk_reserve_hours\":2,\"alert_webhooks\":0,\"shutdown_command_set\":false}")
                .doesNotContain("from-env");
    }

    @Test
    void savingWritesOnlyWhatTheOperatorSet() throws Exception {
        VenueSettings settings = settings();
        settings.update(Map.of("delete_age_days", 30));
        settings.save();
        assertThat(saved()).containsOnlyKeys("scheincam.retention.days").containsEntry("scheincam.retention.days", "30");
        assertThat(Files.readString(file)).doesNotContain("4999").doesNotContain("from-env");

        // the environment's OBS port changes; a restart sees it, as the saved file does not hold it
        // (at start settings.properties wins over the rest: ScheinCam.create)
        started.put("scheincam.obs.port", "5111");
        started.put("scheincam.retention.days", saved().getProperty("scheincam.retention.days"));
        VenueSettings restarted = settings();
        assertThat(restarted.current().obsPort()).isEqualTo(5111);
        restarted.update(Map.of("obs_password", "by-operator"));
        restarted.save();
        assertThat(saved()).containsOnlyKeys("scheincam.retention.days", "scheincam.obs.password")
                .containsEntry("scheincam.obs.password", "by-operator").containsEntry("scheincam.retention.days", "30");
    }

    @Test
    void savingKeepsWhatElseTheFileHolds() throws Exception {
        Files.writeString(file, "scheincam.schedule.start-time=20\\:00\nscheincam.export.budget-mb=100\n");
        VenueSettings settings = settings();
        settings.update(Map.of("show_logo", false));
        settings.save();
        assertThat(saved()).containsOnlyKeys("scheincam.schedule.start-time", "scheincam.export.budget-mb", "scheincam.obs.logo.visible")
                .containsEntry("scheincam.schedule.start-time", "19:50")
                .containsEntry("scheincam.export.budget-mb", "100")
                .containsEntry("scheincam.obs.logo.visible", "false");
    }

    @Test
    void aChangeIsCheckedWholeBeforeAnyOfItIsApplied() {
        VenueSettings settings = settings();
        SettingsAnswer before = settings.current();
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("delete_age_days", 30);
        mixed.put("obs_port", 70000);
        assertThatThrownBy(() -> settings.update(mixed)).isInstanceOf(Refusal.class).hasMessageContaining("obs_port");
        assertThatThrownBy(() -> settings.update(Map.of("colour", "red"))).isInstanceOf(Refusal.class)
                .hasMessageContaining("'colour'").hasMessageContaining("ics_url");
        assertThatThrownBy(() -> settings.update(Map.of())).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> settings.update(Map.of("start_time", "22:10"))).isInstanceOf(Refusal.class)
                .hasMessageContaining("end_time");
        assertThat(settings.current()).isEqualTo(before);
        assertThat(applied).isEmpty();
        settings.save();
        assertThat(saved()).isEmpty();
    }

    @Test
    void eachChangeTakesEffectAsItsRowSays() {
        VenueSettings settings = settings();
        settings.update(Map.of("start_time", "20:30"));
        assertThat(applied).containsExactly("schedule We-Su 20:30-22:10 shutdown null");
        applied.clear();
        settings.update(Map.of("shutdown_time", "23:55", "delete_age_days", 7));
        assertThat(applied).containsExactlyInAnyOrder("schedule We-Su 20:30-22:10 shutdown 23:55", "retention 7");
        applied.clear();
        settings.update(Map.of("obs_port", 4455));
        settings.update(Map.of("show_logo", false));
        assertThat(applied).containsExactly("obs 127.0.0.1:4455", "logo false");
        assertThat(settings.current().showLogo()).isFalse();
        // the dashboard's logo button switches it too, and the settings say so
        logo = true;
        assertThat(settings.current().showLogo()).isTrue();
    }

    @Test
    void perDayWindowsAreChangedWithTheOneWindowOrNotAtAll() {
        VenueSettings settings = settings();
        settings.update(Map.of("windows", "Sa 19:50-22:15"));
        assertThatThrownBy(() -> settings.update(Map.of("start_time", "20:00"))).isInstanceOf(Refusal.class)
                .hasMessageContaining("windows");
        settings.update(Map.of("start_time", "20:00", "windows", ""));
        assertThat(settings.current().windows()).isEmpty();
        assertThat(settings.current().startTime()).isEqualTo("20:00");
    }

    @Test
    void theProgrammeCalendarIsASettingLikeTheOthers() {
        VenueSettings settings = settings();
        assertThatThrownBy(() -> settings.update(Map.of("ics_url", "ftp://x/y.ics"))).isInstanceOf(Refusal.class)
                .hasMessageContaining("ics_url");
        settings.update(Map.of("ics_url", "http://127.0.0.1:8123/programme.ics"));
        settings.update(Map.of("ics_url", "http://127.0.0.1:8123/programme.ics"));
        assertThat(applied).as("read once: the second time nothing changed").containsExactly("calendar http://127.0.0.1:8123/programme.ics");
        assertThat(settings.current().icsUrl()).isEqualTo("http://127.0.0.1:8123/programme.ics");
        settings.save();
        assertThat(saved()).containsOnlyKeys("scheincam.schedule.ics-url");
        settings.update(Map.of("ics_url", ""));
        assertThat(applied).last().isEqualTo("calendar ");
    }

    @Test
    void reloadAppliesWhatTheFileHoldsCheckedLikeAChange() throws Exception {
        VenueSettings settings = settings();
        Files.writeString(file, "scheincam.retention.days=9\nscheincam.schedule.windows=Fr 20\\:00-23\\:00\n");
        SettingsAnswer reloaded = settings.reload();
        assertThat(reloaded.deleteAgeDays()).isEqualTo(9);
        assertThat(reloaded.windows()).isEqualTo("Fr 20:00-23:00");
        assertThat(applied).containsExactlyInAnyOrder("retention 9", "schedule Fr 20:00-23:00 shutdown null");

        Files.writeString(file, "scheincam.retention.days=0\nscheincam.obs.port=1234\n");
        assertThatThrownBy(settings::reload).isInstanceOf(Refusal.class).hasMessageContaining("delete_age_days");
        assertThat(settings.current().obsPort()).as("nothing applied").isEqualTo(4999);

        // what was read from the file is the operator's: saved again, the environment's port is not
        Files.writeString(file, "scheincam.retention.days=9\n");
        settings.reload();
        settings.save();
        assertThat(saved()).containsOnlyKeys("scheincam.retention.days", "scheincam.schedule.windows");
    }
}
