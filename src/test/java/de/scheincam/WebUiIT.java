package de.scheincam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import de.scheincam.testing.Browser;
import de.scheincam.testing.FakeObs;
import de.scheincam.testing.Media;
import de.scheincam.testing.Pictures;
import de.scheincam.testing.TestApp;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The web UI in a real headless Chromium, at phone (360 px) and desktop (1280 px) width, against the
 * booted app with real ffmpeg and a fake OBS: a performer gets a clip, an operator runs the show.
 * Screenshots land in target/ui-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiIT {

    private static final String SHOW = "25-01-24_19-50-00";
    private static final Duration SLOW = Duration.ofSeconds(60);

    private FakeObs obs;
    private TestApp app;
    private String base;

    @BeforeAll
    void boot() throws IOException {
        Path home = TestApp.newHome();
        Files.copy(Media.cached("a.mkv", 40), home.resolve("videos/" + SHOW + ".mkv"));
        // last week's show, long enough to tell OBS's bitrate: the dashboard says how many hours the disk holds
        Files.copy(Media.cached("a.mkv", 75), home.resolve("videos/25-01-17_19-50-00.mkv"));
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/" + spare(360) + ".mkv"));
        Files.copy(Media.cached("a.mkv", 20), home.resolve("videos/" + spare(1280) + ".mkv"));
        obs = new FakeObs("ui-obs-secret", home.resolve("videos"), Media.cached("a.mkv", 20));
        app = TestApp.start(home, Map.of(
                "scheincam.obs.port", String.valueOf(obs.port()),
                "scheincam.obs.password", "ui-obs-secret",
                "scheincam.obs.reconnect-initial-millis", "200"));
        base = "http://127.0.0.1:" + app.port;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(json(app.get("/api/videos/" + SHOW)).path("duration").isNumber()).isTrue();
            assertThat(json(app.get("/api/recordings/status")).path("connected").asBoolean()).isTrue();
        });
    }

    @AfterAll
    void stop() {
        app.close();
        obs.close();
    }

    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {360, 1280})
    void performerPicksTheShowSetsStartAndEndExportsAndDownloads(int width) throws IOException {
        try (Browser b = new Browser(width, app.home.resolve("downloads-" + width))) {
            b.driver.get(base + "/");
            WebElement show = b.await(By.cssSelector("a.show[data-name='" + SHOW + "']"));
            assertThat(show.getText()).contains("Freitag, 24.01.2025 · 19:50");
            show.click();

            WebElement frame = b.await(By.id("frame"));
            b.until(d -> "19:50:00".equals(frame.getAttribute("data-time")), SLOW);
            // the filmstrip: one picture per 5 s of the 40 s show; a tap jumps there
            int tiles = json(app.get("/api/videos/" + SHOW + "/filmstrip?every=5")).path("count").asInt();
            assertThat(tiles).isBetween(8, 9);
            b.until(d -> d.findElements(By.cssSelector("#filmstrip .thumb")).size() == tiles, SLOW);
            b.driver.findElements(By.cssSelector("#filmstrip .thumb")).get(3).click();
            b.until(d -> "19:50:15".equals(frame.getAttribute("data-time")), SLOW);
            b.driver.findElements(By.cssSelector("#filmstrip .thumb")).get(0).click();
            b.until(d -> "19:50:00".equals(frame.getAttribute("data-time")), SLOW);
            // nudging: +5 +5 +1 → 19:50:11, and the large frame is that second's picture
            b.driver.findElement(By.cssSelector("button.nudge[data-delta='5']")).click();
            b.driver.findElement(By.cssSelector("button.nudge[data-delta='5']")).click();
            b.driver.findElement(By.cssSelector("button.nudge[data-delta='1']")).click();
            b.until(d -> "19:50:11".equals(frame.getAttribute("data-time")), SLOW);
            assertThat(b.driver.findElement(By.id("position")).getText()).isEqualTo("19:50:11");
            assertThat(Pictures.centreLuma(Pictures.dataUrl(frame.getAttribute("src")))).isCloseTo(Pictures.expectedLuma(11), Offset.offset(8.0));

            b.driver.findElement(By.id("start-here")).click();
            assertThat(b.driver.findElement(By.id("clip-start")).getAttribute("value")).isEqualTo("19:50:11");
            WebElement first = b.driver.findElement(By.id("first-frame"));
            b.until(d -> "19:50:11".equals(first.getAttribute("data-time")), SLOW);

            // typing the end
            WebElement end = b.driver.findElement(By.id("clip-end"));
            end.clear();
            end.sendKeys("19:50:23", Keys.TAB);
            WebElement last = b.driver.findElement(By.id("last-frame"));
            b.until(d -> "19:50:23".equals(last.getAttribute("data-time")), SLOW);
            assertThat(Pictures.centreLuma(Pictures.dataUrl(last.getAttribute("src")))).isCloseTo(Pictures.expectedLuma(23), Offset.offset(8.0));
            assertThat(b.driver.findElement(By.id("clip-length")).getText()).contains("0:12");

            if (width < 600) {
                b.driver.findElement(By.id("quick")).click(); // the phone run takes the quick cut; desktop the default, frame-exact
            }
            b.driver.findElement(By.id("export")).click();
            WebElement download = b.await(By.id("download"), SLOW);
            assertThat(download.getText()).contains("Scheinbar_2025-01-24_19-50.mp4");
            assertThat(b.driver.findElement(By.id("export-progress")).getAttribute("value")).isEqualTo("1");
            b.screenshot("performer-" + width);
            assertThat(b.consoleErrors()).isEmpty();

            download.click();
            Path file = b.downloads.resolve("Scheinbar_2025-01-24_19-50.mp4");
            await().atMost(SLOW).until(() -> Files.exists(file)
                    && !Files.exists(b.downloads.resolve(file.getFileName() + ".crdownload")));
            assertThat(Media.duration(file)).isCloseTo(12.0, Offset.offset(0.5));
            if (width >= 600) {
                assertThat(Media.firstFrameLuma(file)).as("raw Y of second 11").isCloseTo(25.0, Offset.offset(6.0));
            }

            // a stretch past the recording's end: the API's refusal is shown as it is
            WebElement start = b.driver.findElement(By.id("clip-start"));
            start.clear();
            start.sendKeys("19:50:30", Keys.TAB);
            end.clear();
            end.sendKeys("19:50:55", Keys.TAB);
            b.until(d -> b.driver.findElement(By.id("export")).isEnabled(), SLOW);
            b.driver.findElement(By.id("export")).click();
            WebElement error = b.await(By.id("error"), SLOW);
            b.until(d -> error.getText().contains("end_time"), SLOW);
            assertThat(error.getText()).contains("outside the recording").contains("Ein Wert passt nicht");
            assertThat(b.driver.findElement(By.id("download")).isDisplayed()).isFalse();
            b.screenshot("performer-refused-" + width);

            // English on request
            b.driver.findElement(By.id("lang")).click();
            b.driver.get(base + "/#/");
            b.until(d -> b.driver.findElement(By.tagName("h1")).getText().equals("Find your act"), SLOW);
            assertThat(b.driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        }
    }

    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {360, 1280})
    void operatorLogsInMutesSeesPushedStateAndSavesSettings(int width) throws IOException {
        try (Browser b = new Browser(width, app.home.resolve("downloads-op-" + width))) {
            b.driver.get(base + "/#/admin");
            WebElement password = b.await(By.id("password"));
            password.sendKeys("not-the-token");
            b.driver.findElement(By.id("login")).click();
            WebElement refusal = b.await(By.cssSelector(".login .notice.error"));
            assertThat(refusal.getText()).contains("The password is wrong");
            assertThat(b.driver.manage().getCookieNamed("scheincam_session")).isNull();
            b.consoleErrors(); // the refused login's 401 is expected

            password.clear();
            password.sendKeys(TestApp.ADMIN_TOKEN, Keys.ENTER);
            WebElement obsState = b.await(By.id("st-obs"));
            b.until(d -> obsState.getText().equals("verbunden"), SLOW);
            assertThat(b.driver.manage().getCookieNamed("scheincam_session").isHttpOnly()).isTrue();
            b.until(d -> d.findElement(By.id("live-state")).getAttribute("class").contains("up"), SLOW);
            // free disk, and how long it lasts at the bitrate of last week's show (the API's figure, in German)
            double hours = json(app.get("/api/admin/status", TestApp.admin())).path("recording_hours_left").asDouble();
            assertThat(hours).isGreaterThan(10);
            String disk = b.driver.findElement(By.id("st-disk")).getText();
            java.util.regex.Matcher shown = java.util.regex.Pattern.compile(".+ / .+ · reicht für ≈ ([0-9.,]+) h Aufnahme").matcher(disk);
            assertThat(shown.matches()).as(disk).isTrue();
            // German digits ("1.234" is a thousand and more); the disk's free space moves a little meanwhile
            assertThat(Double.parseDouble(shown.group(1).replace(".", "").replace(',', '.'))).isCloseTo(hours, within(hours * 0.02 + 1));

            // the live audio meter moves with OBS's level meters, pushed
            WebElement db = b.driver.findElement(By.id("st-db"));
            b.until(d -> db.getText().endsWith("dB"), SLOW);
            assertThat(Double.parseDouble(b.driver.findElement(By.id("audio-meter")).getAttribute("value"))).isGreaterThan(-60);

            // mute: OBS switches to the privacy scene, and back
            WebElement mute = b.driver.findElement(By.id("mute"));
            mute.click();
            await().atMost(Duration.ofSeconds(10)).until(() -> "muted".equals(obs.scene));
            b.until(d -> "true".equals(mute.getAttribute("aria-pressed")), SLOW);
            assertThat(b.driver.findElement(By.id("st-scene")).getText()).contains("Privat");
            mute.click();
            await().atMost(Duration.ofSeconds(10)).until(() -> "main".equals(obs.scene));

            // a change made elsewhere arrives pushed, without reloading the page
            b.driver.executeScript("window.notReloaded = true;");
            assertThat(app.post("/api/recordings/start", "", TestApp.admin()).statusCode()).isEqualTo(200);
            WebElement recording = b.driver.findElement(By.id("st-recording"));
            b.until(d -> recording.getText().startsWith("läuft seit"), SLOW);
            assertThat(app.post("/api/recordings/stop", "", TestApp.admin()).statusCode()).isEqualTo(200);
            b.until(d -> recording.getText().equals("keine Aufnahme"), SLOW);
            assertThat(b.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
            assertThat(b.consoleErrors()).isEmpty();

            // settings: a bad time is refused at its field; a good one is saved to settings.properties
            WebElement start = b.driver.findElement(By.id("set-start_time"));
            start.clear();
            start.sendKeys("25:99");
            b.driver.findElement(By.id("settings-save")).click();
            WebElement fieldError = b.driver.findElement(By.id("err-start_time"));
            b.until(d -> !fieldError.getText().isEmpty(), SLOW);
            assertThat(fieldError.getText()).contains("start_time");
            assertThat(start.getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(json(app.get("/api/settings", TestApp.admin())).path("start_time").asText()).isNotEqualTo("25:99");
            b.consoleErrors(); // the refused save's 422 is expected

            String time = width < 600 ? "20:05" : "20:10";
            start.clear();
            start.sendKeys(time);
            WebElement saturday = b.driver.findElement(By.id("set-weekday-5"));
            boolean saturdayBefore = saturday.isSelected();
            saturday.click();
            b.driver.findElement(By.id("settings-save")).click();
            b.until(d -> d.findElement(By.id("settings-note")).getText().equals("Gespeichert."), SLOW);
            assertThat(fieldError.getText()).isEmpty();
            assertThat(json(app.get("/api/settings", TestApp.admin())).path("start_time").asText()).isEqualTo(time);
            assertThat(json(app.get("/api/settings", TestApp.admin())).path("weekdays").toString().contains("5"))
                    .isEqualTo(!saturdayBefore);
            java.util.Properties saved = new java.util.Properties();
            try (var in = Files.newBufferedReader(app.home.resolve("settings.properties"))) {
                saved.load(in);
            }
            assertThat(saved.getProperty("scheincam.schedule.start-time")).isEqualTo(time);
            // the page sends what the operator changed, and only that is saved (not the OBS address the app runs
            // with); windows: set and cleared again at the other width, on the same app
            assertThat(saved.stringPropertyNames()).contains("scheincam.schedule.start-time", "scheincam.schedule.weekdays")
                    .isSubsetOf("scheincam.schedule.start-time", "scheincam.schedule.weekdays", "scheincam.schedule.windows");
            // the form is the contract's: every setting has its field, the OBS password one that never shows it
            WebElement obsPassword = b.driver.findElement(By.id("set-obs_password"));
            assertThat(obsPassword.getAttribute("type")).isEqualTo("password");
            assertThat(obsPassword.getAttribute("value")).isEmpty();
            assertThat(b.driver.findElement(By.id("set-ics_url")).getAttribute("value")).isEmpty();
            assertThat(b.driver.findElement(By.id("set-obs_port")).getAttribute("value"))
                    .isEqualTo(json(app.get("/api/settings", TestApp.admin())).path("obs_port").asText());

            // per-day windows in the compact form win over the fields above, and the week shows per day
            WebElement windows = b.driver.findElement(By.id("set-windows"));
            windows.sendKeys("Mi-Fr 19:50-22:10; Sa 19:50-22:15; So 15:00-17:30, 19:50-22:10");
            assertThat(start.isEnabled()).as("not in effect while per-day windows are").isFalse();
            b.driver.findElement(By.id("settings-save")).click();
            // the list is drawn anew with every reply: read it whole, never an item that may be replaced
            WebElement week = b.driver.findElement(By.id("week-windows"));
            b.until(d -> week.getText().contains("19:50–22:15"), SLOW);
            assertThat(week.getText()).contains("15:00–17:30, 19:50–22:10");
            assertThat(json(app.get("/api/settings", TestApp.admin())).path("windows").asText())
                    .isEqualTo("We-Fr 19:50-22:10; Sa 19:50-22:15; Su 15:00-17:30, 19:50-22:10");
            windows.clear();
            b.driver.findElement(By.id("settings-save")).click();
            b.until(d -> start.isEnabled(), SLOW);
            assertThat(json(app.get("/api/settings", TestApp.admin())).path("windows").asText()).isEmpty();
            assertThat(b.consoleErrors()).isEmpty();
            // recordings: keep flag, and delete after confirming
            WebElement row = b.await(By.cssSelector("#recordings tr[data-name='" + spare(width) + "']"));
            row.findElement(By.cssSelector("input[type=checkbox]")).click();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(app.get("/api/videos/" + spare(width))).path("keep").asBoolean());
            row.findElement(By.cssSelector("input[type=checkbox]")).click();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    !json(app.get("/api/videos/" + spare(width))).path("keep").asBoolean());
            row.findElement(By.cssSelector("button.danger")).click();
            b.driver.switchTo().alert().dismiss();
            assertThat(app.get("/api/videos/" + spare(width)).statusCode()).isEqualTo(200);
            row.findElement(By.cssSelector("button.danger")).click();
            b.driver.switchTo().alert().accept();
            await().atMost(Duration.ofSeconds(10)).until(() -> app.get("/api/videos/" + spare(width)).statusCode() == 404);
            assertThat(app.videos.resolve(spare(width) + ".mkv")).doesNotExist();
            b.until(d -> d.findElements(By.cssSelector("#recordings tr[data-name='" + spare(width) + "']")).isEmpty(), SLOW);

            b.screenshot("operator-" + width);
            assertThat(b.consoleErrors()).isEmpty();
        }
    }

    /** A recording each operator run may delete. */
    private static String spare(int width) {
        return width < 600 ? "25-01-22_19-50-00" : "25-01-21_19-50-00";
    }
}
