package de.scheincam.watchdog;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

import de.scheincam.events.LiveEvents;
import de.scheincam.obs.Recorder;
import de.scheincam.obs.RecorderReplies.AudioCheck;
import de.scheincam.obs.RecorderState;
import de.scheincam.schedule.ShowScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof during the show that the recording really works: audio moving, picture not black, file
 * growing. K checks in a row with a problem → the camera is reloaded and an alert raised (again after
 * every further K). Also alerts when OBS is away inside a window, and when the disk will be full within
 * a few hours at the current bitrate.
 */
public class ShowWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(ShowWatchdog.class);

    private final Recorder recorder;
    private final ShowScheduler scheduler;
    private final Alerts alerts;
    private final Path videosDir;
    private final Clock clock;
    private final int failuresBeforeAction;
    private final double blackLuma;
    private final Duration diskReserve;
    private final Duration obsAwayGrace;
    private final LiveEvents events;

    private int failuresInARow;
    private long lastSize = -1;
    private Instant lastSizeAt;
    /** The file lastSize belongs to. */
    private String lastName;
    private double bytesPerSecond;
    private Instant obsAwaySince;
    private boolean obsAwayAlerted;
    private boolean diskAlerted;
    private volatile Verdict verdict = Verdict.NONE_YET;

    public ShowWatchdog(Recorder recorder, ShowScheduler scheduler, Alerts alerts, Path videosDir, Clock clock,
                        int failuresBeforeAction, double blackLuma, Duration diskReserve, Duration obsAwayGrace,
                        LiveEvents events) {
        this.events = events;
        this.recorder = recorder;
        this.scheduler = scheduler;
        this.alerts = alerts;
        this.videosDir = videosDir;
        this.clock = clock;
        this.failuresBeforeAction = failuresBeforeAction;
        this.blackLuma = blackLuma;
        this.diskReserve = diskReserve;
        this.obsAwayGrace = obsAwayGrace;
    }

    /** One look at the show; returns "reload" when the camera should be reloaded now, else "ok". */
    public synchronized String check() {
        watchObsInWindow();
        if (!recorder.isRecording()) {
            failuresInARow = 0;
            lastSize = -1;
            verdict = Verdict.idle(clock.instant());
            events.publish("show-health", verdict);
            return "ok";
        }
        List<String> problems = new ArrayList<>();
        AudioCheck audio = recorder.audioCheck();
        if (!audio.working()) {
            problems.add("audio silent (" + audio.message() + ")");
        }
        Double luma = pictureLuma();
        if (luma != null && luma < blackLuma) {
            problems.add(String.format(java.util.Locale.ROOT, "picture black (brightness %.1f)", luma));
        }
        if (!fileGrowing()) {
            problems.add("recording file not growing");
        }
        checkDisk();
        String action = "ok";
        if (problems.isEmpty()) {
            failuresInARow = 0;
        } else if (++failuresInARow % failuresBeforeAction == 0) {
            action = "reload";
            alerts.raise("recording", "The recording has a problem " + failuresInARow + " checks in a row: "
                    + String.join(", ", problems) + ". Reloading the camera.");
        }
        Verdict v = new Verdict(problems.isEmpty() ? Verdict.State.OK
                : failuresInARow >= failuresBeforeAction ? Verdict.State.FAILING : Verdict.State.WARNING,
                problems, failuresInARow, clock.instant());
        verdict = v;
        events.publish("show-health", v);
        if (!problems.isEmpty()) {
            LOG.warn("Watchdog: {}", problems);
        }
        return action;
    }

    /** The latest verdict (idle before the first check). */
    public Verdict verdict() {
        return verdict;
    }

    /** The recorder's state with the show's health: the watchdog's verdict and the latest alerts. */
    public ShowStatus withVerdict(RecorderState recorderState) {
        return new ShowStatus(recorderState, verdict, alerts.recent());
    }

    /** A scheduled start that failed all its tries. */
    public void startFailed(String why) {
        alerts.raise("start-failed", "The scheduled recording could not be started: " + why);
    }

    private void watchObsInWindow() {
        Instant now = clock.instant();
        if (scheduler.insideWindow() && !recorder.isReady()) {
            if (obsAwaySince == null) {
                obsAwaySince = now;
            } else if (!obsAwayAlerted && !obsAwaySince.plus(obsAwayGrace).isAfter(now)) {
                obsAwayAlerted = true;
                alerts.raise("obs-disconnected", "OBS is not connected although the show is on: nothing is being recorded.");
            }
        } else {
            obsAwaySince = null;
            obsAwayAlerted = false;
        }
    }

    private Double pictureLuma() {
        try {
            Object image = recorder.screenshot();
            if (!(image instanceof String data) || !data.contains(",")) {
                return null;
            }
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(data.substring(data.indexOf(',') + 1))));
            if (picture == null) {
                return null;
            }
            double sum = 0;
            int n = 0;
            for (int y = 0; y < picture.getHeight(); y += 4) {
                for (int x = 0; x < picture.getWidth(); x += 4) {
                    int rgb = picture.getRGB(x, y);
                    sum += 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                    n++;
                }
            }
            return n == 0 ? null : sum / n;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Watchdog cannot look at the picture: {}", e.getMessage());
            return null;
        }
    }

    private boolean fileGrowing() {
        String name = recorder.currentFileName();
        if (name == null) {
            return true; // not known (adopted): nothing to compare
        }
        if (!name.equals(lastName)) {
            // a new file (OBS split the recording, or a new recording): it starts small, which is no shrinking
            lastName = name;
            lastSize = -1;
            lastSizeAt = null;
        }
        try {
            long size = Files.size(videosDir.resolve(name));
            Instant now = clock.instant();
            boolean growing = lastSize < 0 || size > lastSize;
            if (lastSize >= 0 && lastSizeAt != null && size > lastSize) {
                double seconds = Math.max(0.001, Duration.between(lastSizeAt, now).toMillis() / 1000.0);
                bytesPerSecond = (size - lastSize) / seconds;
            }
            lastSize = size;
            lastSizeAt = now;
            return growing;
        } catch (IOException e) {
            return false;
        }
    }

    private void checkDisk() {
        if (bytesPerSecond <= 0) {
            return;
        }
        try {
            long free = Files.getFileStore(videosDir).getUsableSpace();
            Duration left = Duration.ofSeconds((long) (free / bytesPerSecond));
            if (left.compareTo(diskReserve) < 0) {
                if (!diskAlerted) {
                    diskAlerted = true;
                    alerts.raise("disk", "The disk is full in about " + left.toMinutes() + " minutes at the current bitrate.");
                }
            } else {
                diskAlerted = false;
            }
        } catch (IOException e) {
            LOG.warn("Watchdog cannot read free disk space: {}", e.getMessage());
        }
    }
}
