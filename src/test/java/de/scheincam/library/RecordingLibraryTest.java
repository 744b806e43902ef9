package de.scheincam.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.ffmpeg.MediaInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A recording's length as the library settles it from ffprobe's answer and the file's own frames. */
class RecordingLibraryTest {

    @TempDir
    Path videos;

    private RecordingLibrary settled(String fileName, double lastFrameStart) throws IOException {
        Path file = videos.resolve(fileName);
        Files.write(file, new byte[1024]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        RecordingLibrary library = new RecordingLibrary(videos, ZoneId.of("Europe/Berlin"), Duration.ofSeconds(5),
                Clock.systemUTC(), new MetadataStore(videos, new ObjectMapper().registerModule(new JavaTimeModule())));
        library.readFilesWith(f -> OptionalDouble.of(lastFrameStart), path -> { }, Duration.ofSeconds(1));
        assertThat(library.dueForProbe()).containsExactly(file.toString());
        return library;
    }

    @Test
    void anMp4WhoseLastFrameHasNoLengthEndsOneFrameAfterItsStart() throws IOException {
        // OBS's MP4/MOV: ffprobe says 20.800 s, where the last frame starts; it is shown until 20.833 s
        RecordingLibrary library = settled("25-01-24_19-50-00.mov", 20.8);
        Recording r = library.applyProbe(videos.resolve("25-01-24_19-50-00.mov").toString(),
                new MediaInfo(20.8, 640, 360, 30.0, List.of("video:h264", "audio:aac")));
        assertThat(r.duration()).isEqualTo(20.833);
        assertThat(r.endedAbnormally()).isFalse();
    }

    @Test
    void aMatroskaHeaderLengthIsTakenAsItIs() throws IOException {
        // OBS's Matroska header already counts the last frame's length
        RecordingLibrary library = settled("25-01-24_19-50-00.mkv", 20.8);
        Recording r = library.applyProbe(videos.resolve("25-01-24_19-50-00.mkv").toString(),
                new MediaInfo(20.833, 640, 360, 30.0, List.of("video:h264", "audio:aac")));
        assertThat(r.duration()).isEqualTo(20.833);
    }

    @Test
    void anMp4WhoseLengthAlreadyCoversItsLastFrameKeepsIt() throws IOException {
        RecordingLibrary library = settled("25-01-24_19-50-00.mp4", 20.733);
        Recording r = library.applyProbe(videos.resolve("25-01-24_19-50-00.mp4").toString(),
                new MediaInfo(20.767, 640, 360, 30.0, List.of("video:h264", "audio:aac")));
        assertThat(r.duration()).isEqualTo(20.767);
    }
}
