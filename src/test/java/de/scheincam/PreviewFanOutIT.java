package de.scheincam;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A full house watching the live preview costs OBS at most a couple of screenshots a second. */
class PreviewFanOutIT {

    private static final String PASSWORD = "fake-obs-secret";
    private static final int VIEWERS = 50;
    private FakeObs obs;
    private TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (obs != null) {
            obs.close();
        }
    }

    @Test
    void fiftyViewersPollingEverySecondCauseAtMostTwoScreenshotsASecond() {
        Path home = TestApp.newHome();
        obs = new FakeObs(PASSWORD, home.resolve("videos"), Media.cached("a.mkv", 20));
        app = TestApp.start(home, Map.of("scheincam.obs.port", String.valueOf(obs.port()),
                "scheincam.obs.password", PASSWORD, "scheincam.obs.preview.interval-millis", "1000"));
        await().atMost(Duration.ofSeconds(10)).until(() -> json(app.get("/api/recordings/status")).path("connected").asBoolean());

        ScheduledExecutorService viewers = Executors.newScheduledThreadPool(VIEWERS);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger polls = new AtomicInteger();
        int before = obs.count("GetSourceScreenshot");
        long t0 = System.nanoTime();
        for (int v = 0; v < VIEWERS; v++) {
            // each phone on its own phase within the second, as a room of them would be
            viewers.scheduleAtFixedRate(() -> {
                HttpResponse<String> r = app.get("/api/recordings/preview");
                if (r.statusCode() != 200 || !json(r).path("image").asText().startsWith("data:image/jpg;base64,")) {
                    problems.add(r.statusCode() + " " + r.body());
                }
                polls.incrementAndGet();
            }, v * 1000L / VIEWERS, 1000, TimeUnit.MILLISECONDS);
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> polls.get() >= VIEWERS * 6);
        } finally {
            viewers.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int screenshots = obs.count("GetSourceScreenshot") - before;
        assertThat(problems).isEmpty();
        assertThat(polls.get() / seconds).as("viewer requests per second").isGreaterThan(VIEWERS * 0.7);
        assertThat(screenshots / seconds).as("%d screenshots in %.1f s", screenshots, seconds).isLessThanOrEqualTo(2.0);
        assertThat(screenshots).as("the preview still moves").isGreaterThanOrEqualTo((int) seconds - 1);
    }
}
