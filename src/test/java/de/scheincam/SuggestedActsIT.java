package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.shows.SuggestedActs;
import de.scheincam.testing.ActShow;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acts suggested in the background for finished shows nobody set acts for: the generated evening with
 * six known act changes ({@link ActShow}) copied into videos/ under an OBS name becomes a show whose
 * suggested acts start within ±10 s of the true changes; they survive a restart without being suggested
 * again; a lineup PUT replaces them, and an emptied lineup brings none back. A show without sound is
 * marked as tried, not tried again. Prints FIGURE lines: the errors of the suggested act starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuggestedActsIT {

    private static final String FRIDAY = "2026-12-04_19-50";
    private static final String THURSDAY = "2026-12-03_19-50";
    private static final LocalDateTime START = LocalDateTime.parse("2026-12-04T19:50:00");
    private static final Map<String, String> SETTINGS = Map.of("scheincam.show.suggest-acts", "true",
            "scheincam.show.suggest-millis", "500");
    static Path home;
    static TestApp app;

    @BeforeAll
    static void boot() throws IOException {
        home = TestApp.newHome();
        Files.copy(ActShow.file(), home.resolve("videos/26-12-04_19-50-00.mkv"));
        // picture only: its sound cannot be read
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=s=160x90:r=5:d=20", "-c:v", "libx264", "-preset", "veryfast", "-an",
                home.resolve("videos/26-12-03_19-50-00.mkv").toString()));
        app = TestApp.start(home, SETTINGS);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void theActsOfAFinishedShowAreSuggestedFromItsSound() throws IOException {
        JsonNode show = await().atMost(Duration.ofMinutes(3)).until(() -> json(app.get("/api/shows/" + FRIDAY)),
                s -> s.path("acts").size() > 0);
        JsonNode acts = show.path("acts");
        List<Double> truth = ActShow.boundaries();
        assertThat(acts).hasSize(truth.size() + 1);
        LocalDateTime end = LocalDateTime.parse(show.path("end_time").asText());
        String previousEnd = "2026-12-04T19:50:00";
        for (int i = 0; i < acts.size(); i++) {
            JsonNode act = acts.get(i);
            assertThat(act.path("name").asText()).isEqualTo(String.valueOf(i + 1));
            assertThat(act.path("source").asText()).isEqualTo("suggested");
            assertThat(act.path("start_time").asText()).as("act %d starts where the one before ends", i + 1).isEqualTo(previousEnd);
            previousEnd = act.path("end_time").asText();
        }
        assertThat(LocalDateTime.parse(previousEnd)).isEqualTo(end);
        List<Double> errors = new ArrayList<>();
        for (int i = 0; i < truth.size(); i++) {
            double suggested = Duration.between(START, LocalDateTime.parse(acts.get(i + 1).path("start_time").asText())).toMillis() / 1000.0;
            double error = suggested - truth.get(i);
            assertThat(Math.abs(error)).as("act %d starts at %.1f s, truly at %.1f s", i + 2, suggested, truth.get(i))
                    .isLessThanOrEqualTo(10.0);
            errors.add(error);
        }
        System.out.println("FIGURE " + String.format(Locale.ROOT, "suggested act starts vs the %d true act changes: errors %s s, "
                + "max |error| %.1f s", truth.size(), errors.stream().map(e -> String.format(Locale.ROOT, "%+.1f", e)).toList(),
                errors.stream().mapToDouble(Math::abs).max().orElseThrow()));
        // kept in the show's file with its mark; the mark is no part of the API's answer
        JsonNode kept = new ObjectMapper().readTree(showFile(FRIDAY).toFile());
        assertThat(kept.path("acts")).isEqualTo(acts);
        assertThat(kept.path("acts_suggestion").asText()).isEqualTo("made");
        assertThat(show.has("acts_suggestion")).isFalse();
        assertThat(json(app.get("/api/shows")).path("shows").get(0).path("acts")).isEqualTo(acts);
    }

    @Test
    @Order(2)
    void aShowWithoutSoundIsTriedOnce() throws IOException {
        await().atMost(Duration.ofMinutes(1)).until(() -> new ObjectMapper().readTree(showFile(THURSDAY).toFile())
                .path("acts_suggestion").asText(), "refused"::equals);
        assertThat(json(app.get("/api/shows/" + THURSDAY)).path("acts").toString()).isEqualTo("[]");
        assertThat(suggester().suggestNext()).as("no show awaits suggestions").isNull();
    }

    @Test
    @Order(3)
    void theSuggestionsSurviveARestartWithoutBeingMadeAgain() throws IOException {
        byte[] before = Files.readAllBytes(showFile(FRIDAY));
        byte[] thursday = Files.readAllBytes(showFile(THURSDAY));
        JsonNode acts = json(app.get("/api/shows/" + FRIDAY)).path("acts");
        app.close();
        app = TestApp.start(home, SETTINGS);
        NotifyBuilder looked = new NotifyBuilder(app.camel()).fromRoute("shows-suggest-acts").whenCompleted(3).create();
        assertThat(looked.matches(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(json(app.get("/api/shows/" + FRIDAY)).path("acts")).isEqualTo(acts);
        assertThat(Files.readAllBytes(showFile(FRIDAY))).isEqualTo(before);
        assertThat(Files.readAllBytes(showFile(THURSDAY))).isEqualTo(thursday);
        assertThat(suggester().suggestNext()).isNull();
    }

    @Test
    @Order(4)
    void aLineupReplacesTheSuggestionsAndAnEmptiedOneBringsNoneBack() throws IOException {
        String body = "{\"acts\":[{\"name\":\"Anna\",\"start_time\":\"2026-12-04T19:50:00\",\"end_time\":\"2026-12-04T19:52:41\"},"
                + "{\"name\":\"Ben\",\"start_time\":\"2026-12-04T19:52:41\"}]}";
        HttpResponse<String> set = app.send("PUT", "/api/shows/" + FRIDAY + "/acts", body, "Content-Type", "application/json",
                TestApp.admin()[0], TestApp.admin()[1]);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        String planned = "[{\"name\":\"Anna\",\"start_time\":\"2026-12-04T19:50:00\",\"end_time\":\"2026-12-04T19:52:41\",\"source\":\"planned\"},"
                + "{\"name\":\"Ben\",\"start_time\":\"2026-12-04T19:52:41\",\"end_time\":null,\"source\":\"planned\"}]";
        assertThat(json(app.get("/api/shows/" + FRIDAY)).path("acts").toString()).isEqualTo(planned);
        assertThat(suggester().suggestNext()).isNull();
        assertThat(json(app.get("/api/shows/" + FRIDAY)).path("acts").toString()).isEqualTo(planned);

        HttpResponse<String> emptied = app.send("PUT", "/api/shows/" + FRIDAY + "/acts", "{\"acts\":[]}",
                "Content-Type", "application/json",
                TestApp.admin()[0], TestApp.admin()[1]);
        assertThat(emptied.statusCode()).as(emptied.body()).isEqualTo(200);
        assertThat(suggester().suggestNext()).as("an emptied lineup is the operator's: no suggestions").isNull();
        assertThat(json(app.get("/api/shows/" + FRIDAY)).path("acts").toString()).isEqualTo("[]");
        assertThat(new ObjectMapper().readTree(showFile(FRIDAY).toFile()).path("acts_suggestion").asText()).isEqualTo("operator");
    }

    private static SuggestedActs suggester() {
        return app.camel().getRegistry().lookupByNameAndType("suggestedActs", SuggestedActs.class);
    }

    private static Path showFile(String id) {
        return home.resolve("videos/shows/" + id + ".json");
    }
}
