package de.scheincam;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import de.scheincam.testing.Tmpfs;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13, item 8: metadata written on a full disk (videos/ a small tmpfs, root only) is refused with
 * 507 {"detail"}, leaves the old metadata as it was and no empty .json.tmp behind (it answered 500 and
 * left a 0-byte one); a .json.tmp left by an interrupted write is removed at start.
 */
class MetadataOnFullDiskIT {

    private static final String REC = "25-01-24_19-50-00";

    @Test
    void keepOnAFullDiskIs507AndChangesNothing() throws Exception {
        Path home = TestApp.newHome();
        Path videos = home.resolve("videos");
        try (Tmpfs disk = Tmpfs.mount(videos, 1024)) {
            Files.copy(Media.cached("a.mkv", 20), videos.resolve(REC + ".mkv"));
            Path stale = Files.write(videos.resolve("." + REC + ".json.tmp"), new byte[0]);
            try (TestApp app = TestApp.start(home, Map.of())) {
                assertThat(stale).as("an interrupted write's leftover removed at start").doesNotExist();
                await().atMost(Duration.ofSeconds(30)).until(() -> json(app.get("/api/videos/" + REC)).path("duration").isNumber());
                Path meta = videos.resolve(REC + ".json");
                String before = Files.readString(meta);

                long filled = disk.fill("filler.bin");
                assertThat(filled).isPositive();
                HttpResponse<String> r = app.send("PUT", "/api/videos/" + REC + "/keep", "{\"keep\":true}",
                        "Content-Type", "application/json", "Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(507);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
                assertThat(json(r).path("detail").asText()).contains("The disk is full").contains("unchanged");
                assertThat(Files.readString(meta)).as("the old metadata intact").isEqualTo(before);
                assertThat(names(videos)).as("no .json.tmp left behind").noneMatch(n -> n.endsWith(".tmp"));
                assertThat(json(app.get("/api/videos/" + REC)).path("keep").asBoolean()).as("nor changed in memory").isFalse();

                Files.delete(videos.resolve("filler.bin"));
                HttpResponse<String> again = app.send("PUT", "/api/videos/" + REC + "/keep", "{\"keep\":true}",
                        "Content-Type", "application/json", "Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                assertThat(json(app.get("/api/videos/" + REC)).path("keep").asBoolean()).isTrue();
                assertThat(Files.readString(meta)).contains("\"keep\" : true");
            }
        }
    }

    private static List<String> names(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
