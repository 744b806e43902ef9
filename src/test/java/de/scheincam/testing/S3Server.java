package de.scheincam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.awaitility.Awaitility.await;

/**
 * A real S3 API server for the archive's tests: S3Proxy (org.gaul:s3proxy, its jar-with-dependencies)
 * started as a process of its own on a loopback port, storing objects in a folder under target/ (the
 * jclouds filesystem backend), with credentials made up per run. It can be stopped and started again
 * on the same port and folder, as a server that went away for a while. Stopped by its PID at close.
 */
public final class S3Server implements AutoCloseable {

    public final String accessKey;
    public final String secretKey;
    public final int port;
    public final Path data;
    private final Path config;
    private final Path log;
    private Process process;

    private S3Server(Path dir) {
        SecureRandom random = new SecureRandom();
        this.accessKey = "test" + HexFormat.of().formatHex(random.generateSeed(6));
        this.secretKey = HexFormat.of().formatHex(random.generateSeed(16));
        this.port = freePort();
        this.data = dir.resolve("data");
        this.config = dir.resolve("s3proxy.conf");
        this.log = dir.resolve("s3proxy.log");
    }

    /** A server with an empty store and one bucket. */
    public static S3Server start(String bucket) {
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "s3-").toAbsolutePath();
            S3Server server = new S3Server(dir);
            Files.createDirectories(server.data.resolve(bucket)); // the filesystem backend's bucket is a folder
            Files.writeString(server.config, String.join("\n",
                    "s3proxy.endpoint=" + server.endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + server.accessKey,
                    "s3proxy.credential=" + server.secretKey,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + server.data) + "\n");
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** (Re)starts the process on the same port and store; returns once it answers HTTP. */
    public synchronized void startProcess() {
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || jar.isBlank() || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("S3Proxy jar not found (system property s3proxy.jar, set by the pom): " + jar);
        }
        try {
            process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar, "--properties", config.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy", e);
        }
        Process started = process;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).alias("S3Proxy answers")
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("S3Proxy exited: see " + log);
                    }
                    return answers();
                });
    }

    /** Stops the process (by its PID) as a server that goes away: connections in flight break. */
    public synchronized void stopProcess() {
        if (process == null) {
            return;
        }
        ProcessHandle handle = process.toHandle();
        handle.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            c.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A client of the test's own, to look at what the app stored (real SDK, no mock). */
    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /** Every object in the bucket (key, size). */
    public List<S3Object> objects(String bucket) {
        try (S3Client s3 = client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().toList();
        }
    }

    @Override
    public void close() {
        stopProcess();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
