package de.scheincam;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.scheincam.cleanup.Retention;
import de.scheincam.clips.ExportJobs;
import de.scheincam.clips.FrameGrabber;
import de.scheincam.clips.ShowClock;
import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.library.MetadataStore;
import de.scheincam.library.Probes;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.web.AccessGuard;
import de.scheincam.web.AdminCredential;
import de.scheincam.web.ContractValidator;
import de.scheincam.web.Downloads;
import de.scheincam.web.Problems;
import de.scheincam.web.ResponseHeaders;
import de.scheincam.web.SystemInfo;
import de.scheincam.web.WebFront;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;

/**
 * Builds the beans the routes call, each from its slice of application.properties. The only class
 * that knows both Camel and the beans.
 */
public class ScheinCamConfiguration implements CamelConfiguration {

    @PropertyInject("scheincam.home")
    private String home;
    @PropertyInject(value = "scheincam.videos.dir", defaultValue = "videos")
    private String videosDir;
    @PropertyInject(value = "scheincam.logs.dir", defaultValue = "logs")
    private String logsDir;
    @PropertyInject(value = "scheincam.timezone", defaultValue = "Europe/Berlin")
    private String timezone;
    @PropertyInject(value = "scheincam.admin.token", defaultValue = "")
    private String adminToken;
    @PropertyInject(value = "scheincam.admin.token-file", defaultValue = ".scheincam/admin-token")
    private String adminTokenFile;
    @PropertyInject(value = "scheincam.viewer.password", defaultValue = "")
    private String viewerPassword;
    @PropertyInject(value = "scheincam.ffmpeg.path", defaultValue = "")
    private String ffmpegPath;
    @PropertyInject(value = "scheincam.ffprobe.path", defaultValue = "")
    private String ffprobePath;
    @PropertyInject(value = "scheincam.library.settle-seconds", defaultValue = "10")
    private int settleSeconds;
    @PropertyInject(value = "scheincam.frame.width", defaultValue = "800")
    private int frameWidth;
    @PropertyInject(value = "scheincam.frame.height", defaultValue = "450")
    private int frameHeight;
    @PropertyInject(value = "scheincam.export.max-running", defaultValue = "2")
    private int exportMaxRunning;
    @PropertyInject(value = "scheincam.export.max-queued", defaultValue = "8")
    private int exportMaxQueued;
    @PropertyInject(value = "scheincam.export.max-clip-minutes", defaultValue = "30")
    private int exportMaxClipMinutes;
    @PropertyInject(value = "scheincam.export.retention-hours", defaultValue = "2")
    private int exportRetentionHours;
    @PropertyInject(value = "scheincam.download.prefix", defaultValue = "Scheinbar")
    private String downloadPrefix;
    @PropertyInject(value = "scheincam.retention.days", defaultValue = "14")
    private int retentionDays;
    @PropertyInject(value = "scheincam.logs.retention-days", defaultValue = "30")
    private int logRetentionDays;

    @PropertyInject(value = "camel.server.port", defaultValue = "8080")
    private int serverPort;
    @PropertyInject(value = "camel.server.max-body-size", defaultValue = "65536")
    private long maxBodySize;

    private Path resolve(String path) {
        return Path.of(home).resolve(path).toAbsolutePath().normalize();
    }

    /**
     * Builds the beans in dependency order and binds them under the names routes use
     * ({@code bean:library}, {@code bean:exports}, …).
     */
    @Override
    public void configure(CamelContext camelContext) {
        camelContext.getPropertiesComponent().addPropertiesFunction(new HomePathFunction(camelContext));
        Registry registry = camelContext.getRegistry();
        camelContext.getComponent("platform-http", PlatformHttpComponent.class).setHeaderFilterStrategy(new ResponseHeaders());

        Clock clock = Clock.systemUTC();
        ZoneId zone = ZoneId.of(timezone);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Problems problems = new Problems(json);
        Path videos = resolve(videosDir);
        FfmpegBinaries ffmpeg = new FfmpegBinaries(ffmpegPath, ffprobePath);
        RecordingLibrary library = new RecordingLibrary(videos, zone, Duration.ofSeconds(settleSeconds), clock,
                new MetadataStore(videos, json));
        ShowClock showClock = new ShowClock(zone, clock);
        ExportJobs exports = new ExportJobs(library, showClock, ffmpeg, videos.resolve("exports"),
                exportMaxRunning, exportMaxQueued, Duration.ofMinutes(exportMaxClipMinutes), downloadPrefix, clock, json);
        String version = ScheinCam.class.getPackage().getImplementationVersion();

        registry.bind("json", json);
        registry.bind("problems", problems);
        registry.bind("contractValidator", new ContractValidator("openapi.yaml", "/api", problems));
        registry.bind("access", new AccessGuard(AdminCredential.loadOrCreate(adminToken, resolve(adminTokenFile)), viewerPassword));
        registry.bind("probes", new Probes(ffmpeg, json));
        registry.bind("library", library);
        registry.bind("frames", new FrameGrabber(library, showClock, ffmpeg, frameWidth, frameHeight));
        registry.bind("exports", exports);
        registry.bind("downloads", new Downloads(library, exports, downloadPrefix));
        registry.bind("retention", new Retention(library, exports, resolve(logsDir), retentionDays,
                Duration.ofHours(exportRetentionHours), logRetentionDays, clock, zone));
        registry.bind("system", new SystemInfo(clock, zone, version == null ? "dev" : version));

        WebFront front = new WebFront(problems, maxBodySize);
        try {
            camelContext.addStartupListener(startupListener(front, serverPort));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static StartupListener startupListener(WebFront front, int port) {
        return new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the router exists once the HTTP server has started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                front.mount(VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port)));
            }
        };
    }
}
