package de.scheincam;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.archive.ArchiveLedger;
import de.scheincam.archive.RecordingArchive;
import de.scheincam.archive.ShowFilesArchive;
import de.scheincam.library.RecordingLibrary;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The archive's beans (routes/archive.camel.yaml): the S3 client {@code archiveS3} and the bean
 * {@code archive}, from {@code scheincam.archive.*}. Without a bucket nothing is built and the archive's
 * routes do not start ({@code {{archive:enabled}}} is false): the app runs as it does without an archive.
 */
final class ArchiveConfiguration {

    private final CamelContext camel;

    ArchiveConfiguration(CamelContext camel) {
        this.camel = camel;
        // {{archive:enabled}}: whether a bucket is set, for the routes' autoStartup
        camel.getPropertiesComponent().addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "archive";
            }

            @Override
            public String apply(String remainder) {
                return String.valueOf(enabled());
            }
        });
    }

    private String setting(String name) {
        return camel.getPropertiesComponent().resolveProperty(name).map(String::trim).orElse("");
    }

    boolean enabled() {
        return !setting("scheincam.archive.s3.bucket").isEmpty();
    }

    /** Builds and binds the archive's beans when a bucket is set; the archive then, for the metrics. */
    Optional<RecordingArchive> bind(RecordingLibrary library, IntSupplier recordingDays, Consumer<String> alert, Path videos, ObjectMapper json,
              Clock clock, ZoneId zone) {
        if (!enabled()) {
            return Optional.empty();
        }
        S3Client s3 = client();
        String localDays = setting("scheincam.retention.local-days");
        RecordingArchive archive = new RecordingArchive(library,
                new ArchiveLedger(videos.resolve(".archive").resolve("archived.json"), json),
                new RecordingArchive.Settings(setting("scheincam.archive.s3.prefix"),
                        Long.parseLong(setting("scheincam.archive.part-size-bytes")),
                        localDays.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(localDays)),
                        Duration.ofMillis(Long.parseLong(setting("scheincam.archive.pause-millis"))),
                        Duration.ofMillis(Long.parseLong(setting("scheincam.archive.pause-max-millis"))),
                        Integer.parseInt(setting("scheincam.archive.alert-after-failures"))),
                recordingDays, alert, clock, zone);
        camel.getRegistry().bind("archiveS3", s3);
        camel.getRegistry().bind("archive", archive);
        camel.getRegistry().bind("archiveShows", new ShowFilesArchive(videos.resolve("shows"),
                videos.resolve(".archive").resolve("shows.json"), json, archive::keyOf));
        try {
            camel.addService(new ServiceSupport() {
                @Override
                protected void doShutdown() {
                    s3.close();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(archive);
    }

    /**
     * AWS when no endpoint is set; any other S3 API (MinIO, Ceph RGW, Garage, S3Proxy) at its endpoint, with
     * path-style requests, since those rarely have a DNS name per bucket. Without an access key the SDK's
     * default chain (environment, profile, instance role) gives the credentials.
     */
    private S3Client client() {
        PropertiesComponent p = camel.getPropertiesComponent();
        String region = setting("scheincam.archive.s3.region");
        String endpoint = setting("scheincam.archive.s3.endpoint");
        String accessKey = setting("scheincam.archive.s3.access-key");
        String secretKey = p.resolveProperty("scheincam.archive.s3.secret-key").orElse("");
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region.isEmpty() ? "us-east-1" : region))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .credentialsProvider(accessKey.isEmpty() ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }
}
