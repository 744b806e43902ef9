package de.scheincam.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static org.awaitility.Awaitility.await;

/**
 * Plays clips in a real headless browser, Debian's Chromium or Firefox ESR, with no driver: a server of
 * the test's own on 127.0.0.1 serves a page and the clips (with byte ranges); the page plays them one
 * after the other (muted, at 8× speed) and posts for each its {@code duration}, the first frame as the
 * browser shows it (32×18 grey levels, drawn from a canvas before playing), and whether it ended and
 * where. One browser process plays the whole list; it is killed by PID afterwards.
 */
public final class ClipPlayback {

    public enum Engine { CHROMIUM, FIREFOX }

    /** What the page saw of one clip. {@code thumb} is 32×18 grey levels (0–255), row by row. */
    public record Played(String id, boolean ended, double duration, double currentTime, int[] thumb, String error,
                         long millis) {
    }

    public static final int W = 32;
    public static final int H = 18;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClipPlayback() {
    }

    /** Plays {@code clips} (id → file) in {@code engine}; the result for each id that the page reported. */
    public static Map<String, Played> play(Engine engine, Map<String, Path> clips, Path work) {
        Map<String, Played> results = new ConcurrentHashMap<>();
        List<String> ids = new ArrayList<>(clips.keySet());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> reply(ex, 200, "text/html", PAGE.getBytes(StandardCharsets.UTF_8)));
        server.createContext("/list", ex -> reply(ex, 200, "application/json", JSON.writeValueAsBytes(ids)));
        server.createContext("/clip/", ex -> serveClip(ex, clips.get(ex.getRequestURI().getPath().substring(6))));
        server.createContext("/result", ex -> {
            JsonNode r = JSON.readTree(ex.getRequestBody());
            int[] thumb = new int[W * H];
            for (int i = 0; i < thumb.length && i < r.path("thumb").size(); i++) {
                thumb[i] = r.path("thumb").get(i).asInt();
            }
            results.put(r.path("id").asText(), new Played(r.path("id").asText(), r.path("ended").asBoolean(),
                    r.path("duration").asDouble(Double.NaN), r.path("currentTime").asDouble(Double.NaN),
                    r.path("thumb").size() == thumb.length ? thumb : null, r.path("error").asText(""),
                    r.path("millis").asLong()));
            reply(ex, 200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
        });
        // a browser leaves a clip's connection open, half read: one thread per connection
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.start();
        Process browser = null;
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Path profile = Files.createTempDirectory(work, engine.name().toLowerCase() + "-");
            List<String> cmd;
            if (engine == Engine.CHROMIUM) {
                cmd = List.of("/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + profile, url);
            } else {
                Files.writeString(profile.resolve("user.js"), FIREFOX_PREFS);
                cmd = List.of("/usr/bin/firefox-esr", "--headless", "--no-remote", "--profile", profile.toString(), url);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(engine.name().toLowerCase() + ".log").toFile()));
            pb.environment().put("MOZ_HEADLESS", "1");
            browser = pb.start();
            Process running = browser;
            await().atMost(Duration.ofSeconds(60 + 15L * ids.size())).pollInterval(Duration.ofMillis(200))
                    .until(() -> results.size() >= ids.size() || !running.isAlive());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what came is returned; the caller names the clips that did not
        } finally {
            if (browser != null) {
                kill(browser);
            }
            server.stop(0);
            threads.shutdownNow();
        }
        return results;
    }

    private static void kill(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The source frame at {@code t} as the page would report it: 32×18 grey levels of its RGB picture. */
    public static int[] thumbnail(Path png) {
        try {
            Process p = new ProcessBuilder(ObsCorpus.FFMPEG, "-nostdin", "-v", "error", "-i", png.toString(),
                    "-vf", "scale=160:90:flags=bilinear,format=rgb24", "-f", "rawvideo", "-")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] rgb = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return blocks(rgb, 160, 90);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same averaging as the page: 5×5 blocks of Rec. 601 grey. */
    static int[] blocks(byte[] rgb, int w, int h) {
        int[] out = new int[W * H];
        int bw = w / W;
        int bh = h / H;
        for (int by = 0; by < H; by++) {
            for (int bx = 0; bx < W; bx++) {
                double sum = 0;
                for (int y = by * bh; y < (by + 1) * bh; y++) {
                    for (int x = bx * bw; x < (bx + 1) * bw; x++) {
                        int i = (y * w + x) * 3;
                        sum += 0.299 * (rgb[i] & 0xFF) + 0.587 * (rgb[i + 1] & 0xFF) + 0.114 * (rgb[i + 2] & 0xFF);
                    }
                }
                out[by * W + bx] = (int) Math.round(sum / (bw * bh));
            }
        }
        return out;
    }

    /** Mean absolute difference of two thumbnails, in grey levels. */
    public static double difference(int[] a, int[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d / a.length;
    }

    private static void serveClip(HttpExchange ex, Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            reply(ex, 404, "text/plain", new byte[0]);
            return;
        }
        long size = Files.size(file);
        long start = 0;
        long end = size - 1;
        String range = ex.getRequestHeaders().getFirst("Range");
        int status = 200;
        if (range != null && range.startsWith("bytes=")) {
            String[] r = range.substring(6).split("-", -1);
            start = r[0].isEmpty() ? size - Long.parseLong(r[1]) : Long.parseLong(r[0]);
            end = r.length > 1 && !r[1].isEmpty() && !r[0].isEmpty() ? Math.min(size - 1, Long.parseLong(r[1])) : size - 1;
            status = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        ex.getResponseHeaders().set("Content-Type", "video/mp4");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        long length = end - start + 1;
        ex.sendResponseHeaders(status, length);
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r"); OutputStream out = ex.getResponseBody()) {
            in.seek(start);
            byte[] buf = new byte[65536];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            // the browser closed the connection (it got what it needed): nothing to do
        }
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, status == 204 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static final String FIREFOX_PREFS = String.join("\n",
            "user_pref(\"media.autoplay.default\", 0);",
            "user_pref(\"media.autoplay.blocking_policy\", 0);",
            "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
            "user_pref(\"browser.aboutwelcome.enabled\", false);",
            "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
            "user_pref(\"startup.homepage_welcome_url\", \"\");",
            "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
            "user_pref(\"datareporting.healthreport.uploadEnabled\", false);",
            "user_pref(\"toolkit.telemetry.enabled\", false);",
            "user_pref(\"toolkit.telemetry.unified\", false);",
            "user_pref(\"app.update.enabled\", false);",
            "user_pref(\"app.update.auto\", false);",
            "user_pref(\"app.normandy.enabled\", false);",
            "user_pref(\"extensions.update.enabled\", false);",
            "user_pref(\"browser.safebrowsing.malware.enabled\", false);",
            "user_pref(\"browser.safebrowsing.phishing.enabled\", false);",
            "user_pref(\"browser.safebrowsing.downloads.enabled\", false);",
            "user_pref(\"network.captive-portal-service.enabled\", false);",
            "user_pref(\"network.connectivity-service.enabled\", false);",
            "user_pref(\"network.dns.disablePrefetch\", true);",
            "user_pref(\"network.prefetch-next\", false);",
            "user_pref(\"browser.newtabpage.enabled\", false);",
            "user_pref(\"browser.topsites.contile.enabled\", false);",
            "user_pref(\"services.settings.server\", \"http://127.0.0.1:1/\");",
            "user_pref(\"browser.region.network.url\", \"\");",
            "user_pref(\"media.gmp-manager.url\", \"http://127.0.0.1:1/\");",
            "user_pref(\"media.gmp-gmpopenh264.enabled\", false);",
            "user_pref(\"extensions.getAddons.cache.enabled\", false);",
            "user_pref(\"dom.min_background_timeout_value\", 4);",
            "");

    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>clips</title>
            <body><canvas id="c" width="160" height="90"></canvas><script>
            const W = 32, H = 18;
            async function post(r) { await fetch('/result', {method: 'POST', body: JSON.stringify(r)}); }
            function thumb(video) {
              const c = document.getElementById('c'), g = c.getContext('2d', {willReadFrequently: true});
              g.drawImage(video, 0, 0, 160, 90);
              const d = g.getImageData(0, 0, 160, 90).data, out = [];
              for (let by = 0; by < H; by++) for (let bx = 0; bx < W; bx++) {
                let s = 0;
                for (let y = by * 5; y < by * 5 + 5; y++) for (let x = bx * 5; x < bx * 5 + 5; x++) {
                  const i = (y * 160 + x) * 4; s += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
                }
                out.push(Math.round(s / 25));
              }
              return out;
            }
            function playOne(id) {
              return new Promise(resolve => {
                const t0 = performance.now(), v = document.createElement('video');
                const r = {id: id, ended: false};
                let done = false;
                const finish = extra => {
                  if (done) return; done = true;
                  Object.assign(r, extra, {currentTime: v.currentTime, millis: Math.round(performance.now() - t0)});
                  v.pause(); v.removeAttribute('src'); v.load(); v.remove();
                  post(r).catch(() => {}).finally(resolve);
                  setTimeout(resolve, 3000);
                };
                setTimeout(() => finish({error: 'no loadeddata or ended event within 30 s'}), 30000);
                v.muted = true; v.playsInline = true; v.preload = 'auto';
                v.addEventListener('error', () => finish({error: 'media error ' + (v.error && v.error.code) + ' ' + (v.error && v.error.message)}));
                v.addEventListener('loadeddata', () => {
                  r.duration = v.duration;
                  try { r.thumb = thumb(v); } catch (e) { r.error = 'canvas: ' + e; }
                  v.playbackRate = 8;
                  v.play().catch(e => finish({error: 'play: ' + e}));
                  setTimeout(() => finish({error: 'no ended event'}), (v.duration / 8) * 1000 + 15000);
                }, {once: true});
                v.addEventListener('ended', () => finish({ended: true}));
                v.src = '/clip/' + id;
                document.body.appendChild(v);
              });
            }
            (async () => {
              const ids = await (await fetch('/list')).json();
              for (const id of ids) await playOne(id);
            })();
            </script>
            """;

    /** Ids in the order given, for {@link #play}. */
    public static Map<String, Path> ordered() {
        return new LinkedHashMap<>();
    }
}
