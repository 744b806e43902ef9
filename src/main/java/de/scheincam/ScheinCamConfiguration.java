package de.scheincam;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.archive.RecordingArchive;
import de.scheincam.cleanup.Retention;
import de.scheincam.clips.ClipRefusals;
import de.scheincam.clips.DiskReserve;
import de.scheincam.clips.ExportAdmission;
import de.scheincam.clips.ExportJobs;
import de.scheincam.clips.ExportPlanner;
import de.scheincam.clips.ExportVerifier;
import de.scheincam.clips.ExportWriter;
import de.scheincam.clips.FrameGrabber;
import de.scheincam.clips.LeftoverExports;
import de.scheincam.clips.ShowParts;
import de.scheincam.clips.ShowTimes;
import de.scheincam.clips.StretchCheck;
import de.scheincam.events.LiveEvents;
import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.InProcessProbe;
import de.scheincam.frames.DecoderPool;
import de.scheincam.frames.Filmstrips;
import de.scheincam.sound.ActSuggestions;
import de.scheincam.sound.SuggestSettings;
import de.scheincam.library.DiskSpace;
import de.scheincam.library.LibraryListing;
import de.scheincam.library.MetadataStore;
import de.scheincam.library.Probes;
import de.scheincam.library.RecordingHours;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.library.ShowClock;
import de.scheincam.shows.ShowClipParts;
import de.scheincam.shows.ShowFilmstrips;
import de.scheincam.shows.ShowGrouping;
import de.scheincam.shows.ShowStore;
import de.scheincam.shows.Shows;
import de.scheincam.shows.SuggestedActs;
import de.scheincam.monitoring.DiskHealthCheck;
import de.scheincam.monitoring.FfmpegHealthCheck;
import de.scheincam.monitoring.IdleMemory;
import de.scheincam.monitoring.ObsHealthCheck;
import de.scheincam.monitoring.ShowMetrics;
import de.scheincam.obs.ObsClient;
import de.scheincam.obs.ObsNames;
import de.scheincam.obs.PreviewCache;
import de.scheincam.obs.Recorder;
import de.scheincam.remux.ClipCutter;
import de.scheincam.schedule.ProgrammeCalendar;
import de.scheincam.schedule.RecordingFeed;
import de.scheincam.schedule.ScheduleCronFunction;
import de.scheincam.schedule.ScheduleExceptions;
import de.scheincam.schedule.ScheduleSettings;
import de.scheincam.schedule.ScheduleTriggers;
import de.scheincam.schedule.ShowScheduler;
import de.scheincam.schedule.WeekSetting;
import de.scheincam.schedule.WeekWindows;
import de.scheincam.schedule.WeeklySchedule;
import de.scheincam.settings.Setting;
import de.scheincam.settings.SettingTargets;
import de.scheincam.settings.SettingValues;
import de.scheincam.settings.SettingsAnswer;
import de.scheincam.settings.VenueSettings;
import de.scheincam.watchdog.Alerts;
import de.scheincam.watchdog.ShowWatchdog;
import de.scheincam.watchdog.ShutdownCommand;
import de.scheincam.web.AccessGuard;
import de.scheincam.web.AdminCredential;
import de.scheincam.web.ClientAddress;
import de.scheincam.web.ClientRates;
import de.scheincam.web.ContractValidator;
import de.scheincam.web.Downloads;
import de.scheincam.web.ExportReplies;
import de.scheincam.web.FileTransfers;
import de.scheincam.web.GuessLimiter;
import de.scheincam.web.HashChecks;
import de.scheincam.web.HttpServerLimits;
import de.scheincam.web.JsonBodies;
import de.scheincam.web.LogFiles;
import de.scheincam.web.Problems;
import de.scheincam.web.ResponseHeaders;
import de.scheincam.web.SystemInfo;
import de.scheincam.web.WebFront;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

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
    @PropertyInject(value = "scheincam.access.failures-per-client-per-minute", defaultValue = "10")
    private int failuresPerClientPerMinute;
    @PropertyInject(value = "scheincam.access.failures-per-minute", defaultValue = "60")
    private int failuresPerMinute;
    @PropertyInject(value = "scheincam.access.hash-checks-at-once", defaultValue = "1")
    private int hashChecksAtOnce;
    @PropertyInject(value = "scheincam.access.hash-checks-waiting", defaultValue = "4")
    private int hashChecksWaiting;
    @PropertyInject(value = "scheincam.access.trusted-proxies", defaultValue = "")
    private String trustedProxies;
    @PropertyInject(value = "scheincam.rates.frames.burst", defaultValue = "30")
    private long framesBurst;
    @PropertyInject(value = "scheincam.rates.frames.per-minute", defaultValue = "600")
    private long framesPerMinute;
    @PropertyInject(value = "scheincam.rates.frames.at-once", defaultValue = "8")
    private int framesAtOnce;
    @PropertyInject(value = "scheincam.rates.filmstrips.burst", defaultValue = "20")
    private long filmstripsBurst;
    @PropertyInject(value = "scheincam.rates.filmstrips.per-minute", defaultValue = "120")
    private long filmstripsPerMinute;
    @PropertyInject(value = "scheincam.rates.exports.burst", defaultValue = "30")
    private long exportsBurst;
    @PropertyInject(value = "scheincam.rates.exports.per-minute", defaultValue = "20")
    private long exportsPerMinute;
    @PropertyInject(value = "scheincam.rates.downloads.burst", defaultValue = "30")
    private long downloadsBurst;
    @PropertyInject(value = "scheincam.rates.downloads.per-minute", defaultValue = "120")
    private long downloadsPerMinute;
    @PropertyInject(value = "scheincam.login.session-hours", defaultValue = "12")
    private int sessionHours;
    @PropertyInject(value = "scheincam.ffmpeg.path", defaultValue = "")
    private String ffmpegPath;
    @PropertyInject(value = "scheincam.ffprobe.path", defaultValue = "")
    private String ffprobePath;
    @PropertyInject(value = "scheincam.library.probe-on-demand-millis", defaultValue = "10000")
    private long probeOnDemandMillis;

    @PropertyInject(value = "scheincam.show.max-gap-minutes", defaultValue = "30")
    private int showMaxGapMinutes;
    @PropertyInject(value = "scheincam.library.settle-seconds", defaultValue = "10")
    private int settleSeconds;
    @PropertyInject(value = "scheincam.frame.width", defaultValue = "800")
    private int frameWidth;
    @PropertyInject(value = "scheincam.frame.height", defaultValue = "450")
    private int frameHeight;
    @PropertyInject(value = "scheincam.frame.decoder", defaultValue = "in-process")
    private String frameDecoder;
    @PropertyInject(value = "scheincam.frame.decoder-threads", defaultValue = "2")
    private int frameDecoderThreads;
    @PropertyInject(value = "scheincam.frame.open-recordings", defaultValue = "3")
    private int frameOpenRecordings;
    @PropertyInject(value = "scheincam.frame.max-decoding", defaultValue = "2")
    private int frameMaxDecoding;
    @PropertyInject(value = "scheincam.frame.read-limit-millis", defaultValue = "5000")
    private long frameReadLimitMillis;
    @PropertyInject(value = "scheincam.frame.wait-millis", defaultValue = "20000")
    private long frameWaitMillis;
    @PropertyInject(value = "scheincam.frame.walk-forward", defaultValue = "true")
    private boolean frameWalkForward;
    @PropertyInject(value = "scheincam.filmstrip.tile-width", defaultValue = "160")
    private int filmstripTileWidth;
    @PropertyInject(value = "scheincam.filmstrip.tile-height", defaultValue = "90")
    private int filmstripTileHeight;
    @PropertyInject(value = "scheincam.filmstrip.columns", defaultValue = "10")
    private int filmstripColumns;
    /** How long a program that outlived its time limit gets after SIGTERM before SIGKILL. */
    @PropertyInject(value = "scheincam.programs.kill-grace-millis", defaultValue = "3000")
    private long programKillGraceMillis;
    @PropertyInject(value = "scheincam.export.max-running", defaultValue = "2")
    private int exportMaxRunning;
    @PropertyInject(value = "scheincam.export.max-queued", defaultValue = "8")
    private int exportMaxQueued;
    @PropertyInject(value = "scheincam.export.min-free-mb", defaultValue = "2048")
    private long exportMinFreeMb;
    @PropertyInject(value = "scheincam.export.max-per-client", defaultValue = "3")
    private int exportMaxPerClient;
    @PropertyInject(value = "scheincam.export.budget-mb", defaultValue = "4096")
    private long exportBudgetMb;
    @PropertyInject(value = "scheincam.export.budget-count", defaultValue = "200")
    private int exportBudgetCount;
    @PropertyInject(value = "scheincam.export.client-budget-mb", defaultValue = "1024")
    private long exportClientBudgetMb;
    @PropertyInject(value = "scheincam.export.client-budget-count", defaultValue = "20")
    private int exportClientBudgetCount;
    @PropertyInject(value = "scheincam.export.max-clip-minutes", defaultValue = "30")
    private int exportMaxClipMinutes;
    @PropertyInject(value = "scheincam.export.index-memory-mb", defaultValue = "32")
    private int exportIndexMemoryMb;
    @PropertyInject(value = "scheincam.export.retention-hours", defaultValue = "2")
    private int exportRetentionHours;
    @PropertyInject(value = "scheincam.download.prefix", defaultValue = "Scheinbar")
    private String downloadPrefix;
    @PropertyInject(value = "scheincam.download.max-at-once", defaultValue = "32")
    private int downloadMaxAtOnce;
    @PropertyInject(value = "scheincam.retention.days", defaultValue = "14")
    private int retentionDays;
    @PropertyInject(value = "scheincam.logs.retention-days", defaultValue = "30")
    private int logRetentionDays;

    @PropertyInject(value = "scheincam.obs.host", defaultValue = "127.0.0.1")
    private String obsHost;
    @PropertyInject(value = "scheincam.obs.port", defaultValue = "4455")
    private int obsPort;
    @PropertyInject(value = "scheincam.obs.password", defaultValue = "")
    private String obsPassword;
    @PropertyInject(value = "scheincam.obs.request-timeout-millis", defaultValue = "5000")
    private long obsRequestTimeout;
    @PropertyInject(value = "scheincam.obs.reconnect-initial-millis", defaultValue = "500")
    private long obsReconnectInitial;
    @PropertyInject(value = "scheincam.obs.reconnect-max-millis", defaultValue = "30000")
    private long obsReconnectMax;
    @PropertyInject(value = "scheincam.obs.heartbeat-millis", defaultValue = "2000")
    private long obsHeartbeat;
    @PropertyInject(value = "scheincam.obs.not-ready-tries", defaultValue = "10")
    private int obsNotReadyTries;
    @PropertyInject(value = "scheincam.obs.not-ready-delay-millis", defaultValue = "200")
    private long obsNotReadyDelay;
    @PropertyInject(value = "scheincam.obs.output-timeout-millis", defaultValue = "10000")
    private long obsOutputTimeout;

    @PropertyInject(value = "scheincam.recording.confirm-millis", defaultValue = "8000")
    private long recordingConfirmMillis;

    @PropertyInject(value = "scheincam.recording.mkv-cluster-millis", defaultValue = "1000")
    private int mkvClusterMillis;
    @PropertyInject(value = "scheincam.obs.scene.main", defaultValue = "main")
    private String mainScene;
    @PropertyInject(value = "scheincam.obs.scene.muted", defaultValue = "muted")
    private String mutedScene;
    @PropertyInject(value = "scheincam.obs.logo.source", defaultValue = "logo")
    private String logoSource;
    @PropertyInject(value = "scheincam.obs.logo.filter", defaultValue = "hide")
    private String logoFilter;
    @PropertyInject(value = "scheincam.obs.logo.visible", defaultValue = "true")
    private boolean logoVisible;
    @PropertyInject(value = "scheincam.obs.camera.input", defaultValue = "Camera")
    private String cameraInput;
    @PropertyInject(value = "scheincam.obs.preview.source", defaultValue = "main")
    private String previewSource;
    @PropertyInject(value = "scheincam.obs.preview.interval-millis", defaultValue = "1000")
    private long previewInterval;
    @PropertyInject(value = "scheincam.obs.preview.width", defaultValue = "512")
    private int previewWidth;
    @PropertyInject(value = "scheincam.obs.preview.height", defaultValue = "288")
    private int previewHeight;
    @PropertyInject(value = "scheincam.obs.preview.quality", defaultValue = "50")
    private int previewQuality;
    @PropertyInject(value = "scheincam.obs.audio.threshold", defaultValue = "0.01")
    private double audioThreshold;
    @PropertyInject(value = "scheincam.obs.audio.window-millis", defaultValue = "2000")
    private long audioWindow;
    @PropertyInject(value = "scheincam.obs.audio.live-meter", defaultValue = "true")
    private boolean liveMeter;

    @PropertyInject(value = "scheincam.schedule.enabled", defaultValue = "true")
    private boolean scheduleEnabled;
    @PropertyInject(value = "scheincam.schedule.start-time", defaultValue = "19:50")
    private String scheduleStart;
    @PropertyInject(value = "scheincam.schedule.end-time", defaultValue = "22:10")
    private String scheduleEnd;
    @PropertyInject(value = "scheincam.schedule.weekdays", defaultValue = "2,3,4,5,6")
    private String scheduleWeekdays;
    @PropertyInject(value = "scheincam.schedule.exceptions-file", defaultValue = "schedule-exceptions.json")
    private String scheduleExceptionsFile;
    @PropertyInject(value = "scheincam.schedule.windows", defaultValue = "")
    private String scheduleWindows;
    @PropertyInject(value = "scheincam.schedule.ics-horizon-days", defaultValue = "366")
    private int icsHorizonDays;

    @PropertyInject(value = "scheincam.recording.start-retries", defaultValue = "3")
    private int startRetries;
    @PropertyInject(value = "scheincam.recording.retry-delay-millis", defaultValue = "2000")
    private long retryDelay;
    @PropertyInject(value = "scheincam.watchdog.failures-before-action", defaultValue = "2")
    private int watchdogFailures;
    @PropertyInject(value = "scheincam.watchdog.black-threshold", defaultValue = "10")
    private double blackThreshold;
    @PropertyInject(value = "scheincam.watchdog.disk-reserve-hours", defaultValue = "2")
    private int diskReserveHours;
    @PropertyInject(value = "scheincam.watchdog.obs-away-grace-seconds", defaultValue = "15")
    private int obsAwayGrace;
    @PropertyInject(value = "scheincam.alerts.venue", defaultValue = "ScheinCam")
    private String venueName;
    @PropertyInject(value = "scheincam.shutdown.command", defaultValue = "")
    private String shutdownCommand;
    @PropertyInject(value = "scheincam.watchdog.interval-millis", defaultValue = "30000")
    private long watchdogInterval;
    @PropertyInject(value = "scheincam.alerts.webhooks", defaultValue = "")
    private String alertWebhooks;

    @PropertyInject(value = "camel.server.port", defaultValue = "8080")
    private int serverPort;
    @PropertyInject(value = "scheincam.http.worker-threads", defaultValue = "64")
    private int httpWorkerThreads;
    @PropertyInject(value = "scheincam.memory.idle-collect-seconds", defaultValue = "60")
    private int idleCollectSeconds;
    @PropertyInject(value = "camel.server.max-body-size", defaultValue = "65536")
    private long maxBodySize;
    @PropertyInject(value = "scheincam.http.idle-timeout-seconds", defaultValue = "60")
    private int httpIdleTimeoutSeconds;
    @PropertyInject(value = "scheincam.http.max-connections", defaultValue = "1000")
    private int httpMaxConnections;
    @PropertyInject(value = "scheincam.http.max-connections-per-client", defaultValue = "64")
    private int httpMaxConnectionsPerClient;
    @PropertyInject(value = "scheincam.cors.origins", defaultValue = "")
    private String corsOrigins;
    @PropertyInject(value = "scheincam.suggest.window-seconds", defaultValue = "0.5")
    private double suggestWindowSeconds;
    @PropertyInject(value = "scheincam.suggest.pause-below-median-db", defaultValue = "25")
    private double suggestPauseBelowMedianDb;
    @PropertyInject(value = "scheincam.suggest.pause-min-seconds", defaultValue = "4")
    private double suggestPauseMinSeconds;
    @PropertyInject(value = "scheincam.suggest.applause-crossings", defaultValue = "0.2")
    private double suggestApplauseCrossings;
    @PropertyInject(value = "scheincam.suggest.applause-below-median-db", defaultValue = "10")
    private double suggestApplauseBelowMedianDb;
    @PropertyInject(value = "scheincam.suggest.applause-min-seconds", defaultValue = "4")
    private double suggestApplauseMinSeconds;
    @PropertyInject(value = "scheincam.suggest.bridge-seconds", defaultValue = "1")
    private double suggestBridgeSeconds;
    @PropertyInject(value = "scheincam.suggest.merge-seconds", defaultValue = "5")
    private double suggestMergeSeconds;
    @PropertyInject(value = "scheincam.suggest.min-act-seconds", defaultValue = "60")
    private double suggestMinActSeconds;
    @PropertyInject(value = "scheincam.suggest.min-confidence", defaultValue = "0.5")
    private double suggestMinConfidence;
    @PropertyInject(value = "scheincam.suggest.cached-recordings", defaultValue = "64")
    private int suggestCachedRecordings;
    @PropertyInject(value = "scheincam.suggest.reading-at-once", defaultValue = "1")
    private int suggestReadingAtOnce;
    @PropertyInject(value = "scheincam.suggest.wait-millis", defaultValue = "120000")
    private long suggestWaitMillis;

    SuggestSettings suggestSettings() {
        return new SuggestSettings(suggestWindowSeconds, suggestPauseBelowMedianDb, suggestPauseMinSeconds,
                suggestApplauseCrossings, suggestApplauseBelowMedianDb, suggestApplauseMinSeconds, suggestBridgeSeconds,
                suggestMergeSeconds, suggestMinActSeconds, suggestMinConfidence);
    }

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
        camelContext.getPropertiesComponent().addPropertiesFunction(new ScheduleCronFunction(camelContext));
        Registry registry = camelContext.getRegistry();
        ArchiveConfiguration archive = new ArchiveConfiguration(camelContext);
        IdleMemory.returnAfter(Duration.ofSeconds(idleCollectSeconds));
        // one Vert.x for the HTTP server and the events websocket: they share the port (routes/events.camel.yaml);
        // Camel's server takes it from the registry, and with it our idle timeout and connection limits. Its
        // worker pool runs every API request to its end; the bulkheads (application.properties) share it
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setWorkerPoolSize(Math.max(4, httpWorkerThreads)));
        registry.bind("vertx", new HttpServerLimits(httpIdleTimeoutSeconds, httpMaxConnections, httpMaxConnectionsPerClient)
                .applyTo(vertx));
        camelContext.getComponent("platform-http", PlatformHttpComponent.class).setHeaderFilterStrategy(new ResponseHeaders());

        Clock clock = Clock.systemUTC();
        ZoneId zone = ZoneId.of(timezone);
        ObjectMapper json = JsonBodies.mapper();
        Problems problems = new Problems(json);
        Path videos = resolve(videosDir);
        FfmpegBinaries ffmpeg = new FfmpegBinaries(ffmpegPath, ffprobePath);
        RecordingLibrary library = new RecordingLibrary(videos, zone, Duration.ofSeconds(settleSeconds), clock,
                new MetadataStore(videos, json));
        ShowClock showClock = new ShowClock(zone, clock);
        // a killed earlier run may have left ffmpeg cutting for nobody: stop it before its files are cleaned
        LeftoverExports.stop(videos.resolve("exports"));
        ClipCutter cutter = new ClipCutter(exportIndexMemoryMb);
        library.whenRemoved(r -> cutter.forget(library.fileOf(r)));
        registry.bind("clipCutter", cutter);
        // a recording whose header lacks its length (OBS killed) reaches as far as its frames; one listed
        // but not probed yet is probed by the request that needs it, through the same route as always
        FlowInlets inlets = new FlowInlets(camelContext::createProducerTemplate);
        library.readFilesWith(file -> {
            try {
                return java.util.OptionalDouble.of(cutter.readableSeconds(file));
            } catch (java.io.IOException | RuntimeException e) {
                return java.util.OptionalDouble.empty();
            }
        }, inlets::probe, Duration.ofMillis(probeOnDemandMillis));
        DiskSpace disk = new DiskSpace(videos, exportMinFreeMb);
        ExportJobs exports = new ExportJobs(videos.resolve("exports"), new DiskReserve(disk),
                new ClipRefusals(library, showClock, cutter), downloadPrefix, clock, json);
        String version = ScheinCam.class.getPackage().getImplementationVersion();
        ObsClient obs = new ObsClient(new ObsClient.Settings(obsHost, obsPort, obsPassword,
                Duration.ofMillis(obsRequestTimeout), Duration.ofMillis(obsReconnectInitial),
                Duration.ofMillis(obsReconnectMax), Duration.ofMillis(obsHeartbeat)), json);
        obs.retryWhenNotReady(obsNotReadyTries, Duration.ofMillis(obsNotReadyDelay));
        ObsNames names = new ObsNames(mainScene, mutedScene, logoSource, logoFilter, cameraInput, previewSource);
        Recorder recorder = new Recorder(obs, library, names, videos, clock, zone, Duration.ofMillis(obsOutputTimeout),
                logoVisible, audioThreshold, Duration.ofMillis(audioWindow));

        registry.bind("json", json);
        de.scheincam.ffmpeg.ProgramDeadline programs = new de.scheincam.ffmpeg.ProgramDeadline(Duration.ofMillis(programKillGraceMillis));
        registry.bind("programDeadline", programs);
        registry.bind("problems", problems);
        registry.bind("contractValidator", new ContractValidator("openapi.yaml", "/api", problems, new JsonBodies(json)));
        ClientAddress clients = new ClientAddress(trustedProxies);
        AccessGuard access = new AccessGuard(AdminCredential.loadOrCreate(adminToken, resolve(adminTokenFile)), viewerPassword,
                clock, Duration.ofHours(sessionHours), new GuessLimiter(failuresPerClientPerMinute, failuresPerMinute, clock),
                new HashChecks(hashChecksAtOnce, hashChecksWaiting), clients, json);
        registry.bind("access", access);
        registry.bind("probes", new Probes(ffmpeg, json));
        registry.bind("library", library);
        registry.bind("listing", new LibraryListing(library, json));
        DecoderPool decoders = new DecoderPool(frameDecoderThreads, frameOpenRecordings, frameMaxDecoding, frameWaitMillis,
                java.time.Duration.ofMillis(frameReadLimitMillis), frameWalkForward);
        // a deleted recording's open decoder would keep its disk space allocated
        library.whenRemoved(r -> decoders.forget(r.name()));
        // frames and clips by show read the show model's parts, bound as 'showParts' once the shows are built
        // below (they need the schedule); looked up per request. A test may bind its own before the app starts
        ShowTimes showTimes = new ShowTimes(show -> registry.lookupByNameAndType("showParts", ShowParts.class).parts(show),
                library, showClock);
        FrameGrabber frames = new FrameGrabber(library, showClock, ffmpeg, decoders, frameDecoder, frameWidth, frameHeight, showTimes);
        registry.bind("frames", frames);
        Filmstrips filmstrips = new Filmstrips(library, showClock, frames::readableLength, decoders,
                videos.resolve(".filmstrip"), json, filmstripTileWidth, filmstripTileHeight, filmstripColumns);
        library.whenRemoved(filmstrips::forget);
        registry.bind("filmstrips", filmstrips);
        ActSuggestions actSuggestions = new ActSuggestions(suggestSettings(), java.time.Duration.ofMillis(frameReadLimitMillis),
                suggestCachedRecordings, suggestReadingAtOnce, suggestWaitMillis);
        registry.bind("actSuggestions", actSuggestions);
        registry.bind("exports", exports);
        ExportPlanner exportPlanner = new ExportPlanner(exports, library, ffmpeg, cutter);
        registry.bind("exportPlanner", exportPlanner);
        InProcessProbe inProcessProbe = new InProcessProbe();
        registry.bind("exportWriter", new ExportWriter(exports, exportPlanner, library, inProcessProbe));
        registry.bind("exportVerifier", new ExportVerifier(exports, ffmpeg, inProcessProbe));
        registry.bind("exportReplies", new ExportReplies(exports));
        ExportAdmission admission = new ExportAdmission(exports,
                new StretchCheck(library, showClock, cutter, Duration.ofMinutes(exportMaxClipMinutes), showTimes), disk,
                new ExportAdmission.Limits(exportMaxRunning, exportMaxQueued, exportMaxPerClient), clients::of,
                new ExportAdmission.Budget(exportBudgetMb * 1024 * 1024, exportBudgetCount,
                        exportClientBudgetMb * 1024 * 1024, exportClientBudgetCount));
        registry.bind("exportAdmission", admission);
        registry.bind("downloads", new Downloads(library, exports, downloadPrefix));
        registry.bind("fileTransfers", new FileTransfers(downloadMaxAtOnce));
        WeekSetting week = new WeekSetting(ScheduleSettings.time("start_time", scheduleStart),
                ScheduleSettings.time("end_time", scheduleEnd), ScheduleSettings.weekdays(scheduleWeekdays),
                WeekWindows.parse(scheduleWindows));
        WeeklySchedule weekly = new WeeklySchedule(week.effective(), zone, ScheduleExceptions.NONE, java.util.List.of());
        ShowScheduler scheduler = new ShowScheduler(weekly, scheduleEnabled, clock, recorder::isRecording,
                recorder::isReady, resolve(scheduleExceptionsFile), json, startRetries, Duration.ofMillis(retryDelay),
                library::noteGap);
        // shows: a new recording is placed in its show as it appears; the ones found without are repaired now
        ShowGrouping grouping = new ShowGrouping(Duration.ofMinutes(showMaxGapMinutes), zone, scheduler::schedule, library::endOf);
        library.placeWith(grouping);
        Shows shows = new Shows(library, grouping, new ShowStore(videos.resolve("shows"), json), clock, zone);
        // a show's file follows its recordings at once: written as a part is probed, changed as one is removed
        library.whenProbed(shows::refresh);
        library.whenRemoved(r -> shows.refresh());
        registry.bind("shows", shows);
        if (registry.lookupByNameAndType("showParts", ShowParts.class) == null) {
            registry.bind("showParts", new ShowClipParts(shows));
        }
        registry.bind("showFilmstrips", new ShowFilmstrips(shows, filmstrips));
        registry.bind("suggestedActs", new SuggestedActs(shows, actSuggestions, zone));
        LiveEvents live = new LiveEvents();
        Alerts alerts = new Alerts(clock, zone, venueName, live);
        recorder.confirmStarts(Duration.ofMillis(recordingConfirmMillis), mkvClusterMillis,
                why -> alerts.raise("recording-not-written", why));
        Retention retention = new Retention(library, exports, resolve(logsDir), retentionDays,
                Duration.ofHours(exportRetentionHours), logRetentionDays, clock, zone);
        ScheduleTriggers triggers = new ScheduleTriggers(() -> camelContext.getComponent("quartz", QuartzComponent.class).getScheduler());
        registry.bind("scheduler", scheduler);
        registry.bind("scheduleTriggers", triggers);
        ProgrammeCalendar programme = new ProgrammeCalendar(zone, clock, Duration.ofDays(icsHorizonDays), Path.of(home));
        registry.bind("programme", programme);
        registry.bind("recordingFeed", new RecordingFeed(clock, venueName, "Aufnahme"));
        // the operator's settings, as the app starts with them (application.properties, environment, settings.properties)
        // (a key missing from an older application.properties reads as empty: the row's check says what it needs)
        SettingValues venue = SettingValues.read(key -> camelContext.getPropertiesComponent().resolveProperty(key).orElse(""));
        programme.setLocation(venue.get(Setting.ICS_URL));
        registry.bind("settings", new VenueSettings(scheduler, new SettingTargets() {
            @Override
            public void schedule(WeekSetting changed, java.time.LocalTime shutdown) {
                scheduler.reschedule(changed.effective());
                triggers.aim(scheduler.nextEdge());
                triggers.rearmShutdown(shutdown, zone);
            }

            @Override
            public void retentionDays(int days) {
                retention.setRecordingDays(days);
            }

            @Override
            public void logo(boolean visible) {
                recorder.setLogoPreference(visible);
            }

            @Override
            public boolean logo() {
                return recorder.logoPreference();
            }

            @Override
            public void obs(String host, int port, String password) {
                ObsClient.Settings o = obs.settings();
                if (!host.equals(o.host()) || port != o.port() || !password.equals(o.password())) {
                    obs.reconfigure(new ObsClient.Settings(host, port, password, o.requestTimeout(), o.backoffInitial(),
                            o.backoffMax(), o.heartbeat()));
                }
            }

            @Override
            public void calendar(String location) {
                programme.setLocation(location);
                if (location.isEmpty()) {
                    scheduler.setCalendar(java.util.List.of());
                } else {
                    inlets.readCalendar();
                }
            }
        }, Path.of(home).resolve(ScheinCam.SAVED_SETTINGS), venue, new SettingsAnswer.Fixed(watchdogInterval / 1000,
                watchdogFailures, blackThreshold, diskReserveHours,
                alertWebhooks.isBlank() ? 0 : alertWebhooks.split(",").length, !shutdownCommand.isBlank())));
        registry.bind("retention", retention);
        Optional<RecordingArchive> archived = archive.bind(library, retention::recordingDays,
                why -> alerts.raise("archive-failing", why), videos, json, clock, zone);
        registry.bind("alerts", alerts);
        registry.bind("live", live);
        registry.bind("logFiles", new LogFiles(resolve(logsDir)));
        ShowWatchdog watchdog = new ShowWatchdog(recorder, scheduler, alerts, videos, clock, watchdogFailures,
                blackThreshold, Duration.ofHours(diskReserveHours), Duration.ofSeconds(obsAwayGrace), live);
        registry.bind("watchdog", watchdog);
        registry.bind("shutdown", new ShutdownCommand(shutdownCommand, recorder));
        RecordingHours hours = new RecordingHours(library, disk, clock, zone);
        registry.bind("system", new SystemInfo(clock, zone, version == null ? "dev" : version, recorder, library,
                videos, hours));
        registry.bind("obs", obs);
        obs.liveMeters(liveMeter);
        registry.bind("recorder", recorder);
        registry.bind("preview", new PreviewCache(obs, recorder, names, clock, Duration.ofMillis(previewInterval),
                previewWidth, previewHeight, previewQuality));

        // health: /observe/health has all checks, /observe/health/ready the disk and ffmpeg, /observe/health/live Camel's own
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        health.register(new ObsHealthCheck(recorder));
        health.register(new DiskHealthCheck(disk));
        health.register(new FfmpegHealthCheck(ffmpeg, clock));
        ShowMetrics metrics = new ShowMetrics(recorder, watchdog::verdict, scheduler::recordingDue, library, admission, disk, hours, archived,
                clock, zone);

        ClientRates rates = new ClientRates(java.util.List.of(
                new ClientRates.Rate("frames", framesBurst, framesPerMinute, framesAtOnce),
                new ClientRates.Rate("filmstrips", filmstripsBurst, filmstripsPerMinute),
                new ClientRates.Rate("exports", exportsBurst, exportsPerMinute),
                new ClientRates.Rate("downloads", downloadsBurst, downloadsPerMinute)), clients, clock);
        registry.bind("clientRates", rates);
        WebFront front = new WebFront(problems, maxBodySize, corsOrigins, access, rates);
        try {
            // close the OBS session cleanly when Camel stops; no ffmpeg outlives the app
            camelContext.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    obs.close();
                    decoders.close();
                    programs.stopAll();
                }

                @Override
                protected void doShutdown() {
                    vertx.close();
                }
            }, true, true);
            Runnable warmUp = "in-process".equals(frameDecoder) ? () -> decoders.warmUp(frameWidth, frameHeight) : () -> { };
            camelContext.addStartupListener(startupListener(front, serverPort, inlets, obs, alerts, live, metrics, warmUp));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static StartupListener startupListener(WebFront front, int port, FlowInlets inlets, ObsClient obs, Alerts alerts,
                                                   LiveEvents live, ShowMetrics metrics, Runnable framesWarmUp) {
        return new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the router exists once the HTTP server has started; the Prometheus registry once metrics have
                MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
                if (meters != null) {
                    metrics.bindTo(meters);
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
                front.mount(router);
                outerRouter(router).ifPresent(front::mountOuter);
                // OBS events and connection changes, alerts and live events flow into the routes (FlowInlets names where)
                inlets.obs(obs);
                inlets.alerts(alerts);
                inlets.live(live);
                obs.start();
                // after the server answers, not before: the first frame then finds the decoder's libraries loaded
                Thread warm = new Thread(framesWarmUp, "frames-warm-up");
                warm.setDaemon(true);
                warm.setPriority(Thread.MIN_PRIORITY);
                warm.start();
            }
        };
    }

    /**
     * camel-platform-http-vertx keeps the router it mounts ours in private; reached by reflection (the
     * only way short of a server of our own). Without it a malformed path is answered in plain text.
     */
    private static java.util.Optional<io.vertx.ext.web.Router> outerRouter(VertxPlatformHttpRouter router) {
        try {
            java.lang.reflect.Field field = router.getServer().getClass().getDeclaredField("router");
            field.setAccessible(true);
            return java.util.Optional.ofNullable((io.vertx.ext.web.Router) field.get(router.getServer()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ScheinCamConfiguration.class)
                    .warn("Malformed paths will be answered in plain text: {}", e.toString());
            return java.util.Optional.empty();
        }
    }
}
