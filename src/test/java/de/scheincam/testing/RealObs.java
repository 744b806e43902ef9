package de.scheincam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.obs.ObsClient;

import static org.awaitility.Awaitility.await;

/**
 * Debian's OBS Studio 29 (obs-websocket 5.1) running headless under Xvfb with Mesa's software GL, in a
 * home written from scratch: websocket settings in global.ini, then scenes "main" and "muted", a
 * "Camera" input looping a generated clip with a tone, a "logo" source with a "hide" filter, created
 * over the websocket itself. Stopped (or killed) by PID.
 */
public final class RealObs implements AutoCloseable {

    public final Path home;
    public final int port;
    public final String password;
    private final Path cameraClip;
    private Process xvfbRun;

    public RealObs(Path home, String password) {
        this.home = home;
        this.password = password;
        this.port = freePort();
        this.cameraClip = home.resolve("camera.mkv");
        try {
            Files.createDirectories(home.resolve(".config/obs-studio"));
            Files.writeString(home.resolve(".config/obs-studio/global.ini"), String.join("\n",
                    "[General]", "FirstRun=true", "EnableAutoUpdates=false", "",
                    "[BasicWindow]", "SysTrayEnabled=false", "",
                    "[OBSWebSocket]", "FirstLoad=false", "ServerEnabled=true", "ServerPort=" + port,
                    "AlertsEnabled=false", "AuthRequired=true", "ServerPassword=" + password, ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Media.run(List.of(Media.FFMPEG.ffmpeg(), "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=10",
                "-f", "lavfi", "-i", "sine=f=440:d=10:sample_rate=48000",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", cameraClip.toString()));
    }

    /** OBS in a fresh home under target/, started, with the venue's scenes: ready for a test. */
    public static RealObs launch(String password) {
        try {
            RealObs obs = new RealObs(Files.createTempDirectory(Path.of("target"), "obs-home-").toAbsolutePath(), password);
            obs.start();
            obs.setUpScenes();
            return obs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connected client of the test's own that hands every OBS event to {@code events}. */
    public ObsClient observe(java.util.function.Consumer<de.scheincam.obs.ObsEvent> events) {
        ObsClient observer = client();
        observer.onEvent(events);
        observer.start();
        await().atMost(Duration.ofSeconds(10)).until(observer::connected);
        return observer;
    }

    /** Starts OBS and waits until its websocket answers. */
    public void start() {
        for (String tool : List.of("/usr/bin/obs", "/usr/bin/xvfb-run")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: bin/test.sh installs obs-studio and xvfb");
            }
        }
        try {
            ProcessBuilder pb = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1280x720x24",
                    "obs", "--disable-updater", "--multi")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("obs.log").toFile()));
            pb.environment().put("HOME", home.toString());
            pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            pb.environment().put("LIBGL_ALWAYS_SOFTWARE", "1");
            xvfbRun = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    /**
     * Builds the venue's scene collection and output settings over the websocket. Safe to repeat (after
     * OBS was killed it may have lost what it had not saved): what exists already is left as it is.
     */
    public void setUpScenes() {
        setUpScenes(true);
    }

    /**
     * Like {@link #setUpScenes()}; with {@code simpleOutput} false the profile's output mode and recording
     * settings stay as written into the home before the start (OBS applies an output mode only at start).
     */
    public void setUpScenes(boolean simpleOutput) {
        try (ObsClient obs = client()) {
            obs.start();
            await().atMost(Duration.ofSeconds(20)).until(obs::connected);
            obs.request("SetVideoSettings", Map.of("baseWidth", 640, "baseHeight", 360, "outputWidth", 640,
                    "outputHeight", 360, "fpsNumerator", 30, "fpsDenominator", 1));
            if (simpleOutput) {
                obs.request("SetProfileParameter", Map.of("parameterCategory", "Output", "parameterName", "Mode",
                        "parameterValue", "Simple"));
                for (String key : List.of("RecFormat", "RecFormat2")) {
                    obs.request("SetProfileParameter", Map.of("parameterCategory", "SimpleOutput", "parameterName", key,
                            "parameterValue", "mkv"));
                }
                obs.request("SetProfileParameter", Map.of("parameterCategory", "SimpleOutput", "parameterName", "RecEncoder",
                        "parameterValue", "x264"));
                obs.request("SetProfileParameter", Map.of("parameterCategory", "SimpleOutput", "parameterName", "RecQuality",
                        "parameterValue", "Stream"));
            }
            createIfMissing(() -> obs.request("CreateScene", Map.of("sceneName", "main")));
            createIfMissing(() -> obs.request("CreateScene", Map.of("sceneName", "muted")));
            createIfMissing(() -> obs.request("CreateInput", Map.of("sceneName", "main", "inputName", "Camera", "inputKind", "ffmpeg_source",
                    "inputSettings", Map.of("local_file", cameraClip.toString(), "looping", true,
                            "restart_on_activate", false, "close_when_inactive", false), "sceneItemEnabled", true)));
            createIfMissing(() -> obs.request("CreateInput", Map.of("sceneName", "main", "inputName", "logo", "inputKind", "color_source_v3",
                    "inputSettings", Map.of("color", 4294967295L, "width", 64, "height", 64), "sceneItemEnabled", true)));
            createIfMissing(() -> obs.request("CreateSourceFilter", Map.of("sourceName", "logo", "filterName", "hide",
                    "filterKind", "color_filter_v2", "filterSettings", Map.of("opacity", 0.0))));
            obs.request("SetCurrentProgramScene", Map.of("sceneName", "main"));
        }
    }

    /** 601: resource already exists. */
    private static void createIfMissing(Runnable create) {
        try {
            create.run();
        } catch (de.scheincam.obs.ObsRequestFailed e) {
            if (e.getCode() != 601) {
                throw e;
            }
        }
    }

    /** A websocket client of the test's own, to look at OBS from outside the app. */
    public ObsClient client() {
        return new ObsClient(new ObsClient.Settings("127.0.0.1", port, password, Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30)), new ObjectMapper());
    }

    /** OBS crashing: SIGKILL to the obs process itself. */
    public void kill() {
        obsProcesses().forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> obsProcesses().isEmpty());
        stopXvfb();
    }

    /**
     * OBS and its muxer dying together (a crash of the session or the machine): SIGKILL to obs-ffmpeg-mux
     * first, which otherwise finishes the file by itself when OBS alone dies.
     */
    public void killWithMuxer() {
        if (xvfbRun != null) {
            xvfbRun.descendants().filter(p -> p.info().command().map(c -> c.endsWith("obs-ffmpeg-mux")).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
        kill();
    }

    @Override
    public void close() {
        obsProcesses().forEach(ProcessHandle::destroy);
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            if (!obsProcesses().isEmpty()) {
                obsProcesses().forEach(ProcessHandle::destroyForcibly);
            }
            return obsProcesses().isEmpty();
        });
        stopXvfb();
    }

    private void stopXvfb() {
        if (xvfbRun != null) {
            xvfbRun.descendants().forEach(ProcessHandle::destroy);
            xvfbRun.destroy();
            xvfbRun.descendants().forEach(ProcessHandle::destroyForcibly);
            xvfbRun.destroyForcibly();
        }
    }

    private List<ProcessHandle> obsProcesses() {
        if (xvfbRun == null) {
            return List.of();
        }
        return xvfbRun.descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/obs")).orElse(false)).toList();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
