package de.scheincam.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.core.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the desired state win: inside a window OBS records, outside it does not. Level-triggered, so a
 * restart of the app or of OBS, a missed trigger or a crash mid-show all end the same way — recording
 * again as soon as both are up. Triggers (Quartz at the window edges, a timer every second or two)
 * only wake it; {@link #decide} is the one place that decides.
 * <p>
 * The override rule: inside a window every recording belongs to the show and ends with the window
 * (also one started by hand, or one found running after a restart). Outside windows the scheduler
 * never stops a recording it did not start. A manual stop inside a window is respected until the next
 * window.
 */
public class ShowScheduler {

    public static final String START = "start";
    public static final String STOP = "stop";
    public static final String NONE = "none";

    private static final Logger LOG = LoggerFactory.getLogger(ShowScheduler.class);
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");
    private static final Locale GERMAN = Locale.GERMAN;
    /** A start this long after the window opened (or the recording was lost) is a resumption. */
    private static final Duration GAP_WORTH_NOTING = Duration.ofSeconds(2);

    private final Clock clock;
    private final boolean enabled;
    private final BooleanSupplier recording;
    private final BooleanSupplier obsReady;
    private final Path exceptionsFile;
    private final ObjectMapper json;

    private volatile WeeklySchedule schedule;
    private boolean calendarFailing;
    /** Start of the window whose recording the scheduler owns (it ends it at the window's end). */
    private Instant owned;
    /** Start of the window in which someone stopped the recording by hand. */
    private Instant stoppedByHand;
    private boolean acting;
    private String pending;
    /** After a failed action, no new attempt before this (the retry delay). */
    private Instant notBefore = Instant.EPOCH;
    private int failedStarts;
    /** When the show's recording was last seen running inside its window. */
    private Instant lastSeenRecording;
    private final java.util.function.ObjDoubleConsumer<String> gapNote;
    private final int startRetries;
    private final Duration retryDelay;

    public ShowScheduler(WeeklySchedule schedule, boolean enabled, Clock clock, BooleanSupplier recording,
                         BooleanSupplier obsReady, Path exceptionsFile, ObjectMapper json, int startRetries,
                         Duration retryDelay, java.util.function.ObjDoubleConsumer<String> gapNote) {
        this.gapNote = gapNote;
        this.startRetries = startRetries;
        this.retryDelay = retryDelay;
        this.clock = clock;
        this.enabled = enabled;
        this.recording = recording;
        this.obsReady = obsReady;
        this.exceptionsFile = exceptionsFile;
        this.json = json;
        this.schedule = schedule.with(loadExceptions());
    }

    /** What to do now: start, stop or nothing. Marks the action in flight so concurrent wake-ups do not repeat it. */
    public synchronized String decide() {
        Instant now = clock.instant();
        if (!enabled || acting || !obsReady.getAsBoolean() || now.isBefore(notBefore)) {
            return NONE;
        }
        Optional<ShowWindow> window = schedule.current(now);
        boolean isRecording = recording.getAsBoolean();
        if (window.isPresent()) {
            Instant w = window.get().start().toInstant();
            if (isRecording) {
                owned = w; // the show's recording, however it began
                lastSeenRecording = now;
                return NONE;
            }
            if (w.equals(stoppedByHand)) {
                return NONE;
            }
            acting = true;
            pending = START;
            LOG.info("Inside the window {}–{}: starting the recording", window.get().start(), window.get().end());
            return START;
        }
        if (isRecording && owned != null) {
            acting = true;
            pending = STOP;
            LOG.info("The window has ended: stopping the recording");
            return STOP;
        }
        if (!isRecording) {
            owned = null;
        }
        return NONE;
    }

    /**
     * The start decided by {@link #decide} worked. A start well after the window opened resumes an
     * interrupted show: the gap goes into the new recording's metadata.
     */
    public synchronized void started(String fileName) {
        acting = false;
        failedStarts = 0;
        Instant now = clock.instant();
        Optional<ShowWindow> window = schedule.current(now);
        owned = window.map(w -> w.start().toInstant()).orElse(null);
        // nothing was recorded since the recording was last seen in this window, or since it opened
        Instant gapFrom = lastSeenRecording != null && owned != null && lastSeenRecording.isAfter(owned) ? lastSeenRecording : owned;
        lastSeenRecording = now;
        if (gapFrom != null) {
            double gap = Duration.between(gapFrom, now).toMillis() / 1000.0;
            if (gap > GAP_WORTH_NOTING.toSeconds()) {
                gapNote.accept(fileName, gap);
            }
        }
    }

    public synchronized void stopped() {
        acting = false;
        owned = null;
    }

    /**
     * The decided action failed; it is tried again after the retry delay. Returns true exactly when a
     * start has now failed its first try and all retries, which is worth an alert.
     */
    public synchronized boolean failed(Throwable cause) {
        acting = false;
        notBefore = clock.instant().plus(retryDelay);
        LOG.warn("Scheduled {} failed: {}", pending, cause == null ? "unknown" : cause.getMessage());
        return START.equals(pending) && ++failedStarts == startRetries + 1;
    }

    /** Someone stopped the recording by hand: inside a window that holds until the next window. */
    public synchronized void stoppedManually() {
        Instant now = clock.instant();
        stoppedByHand = schedule.current(now).map(w -> w.start().toInstant()).orElse(null);
        owned = null;
        if (stoppedByHand != null) {
            LOG.info("Recording stopped by hand inside the window: not restarting it until the next window");
        }
    }

    public WeeklySchedule schedule() {
        return schedule;
    }

    /** New weekly windows from the settings API: in effect at the next decision. */
    public synchronized void reschedule(WeekWindows week) {
        schedule = schedule.with(week);
        LOG.info("Weekly windows now: {}", week.isEmpty() ? "none" : week);
    }

    /**
     * The shows of the venue's programme calendar, read afresh: they replace the ones read before and
     * are in effect at the next decision. Returns how many there are.
     */
    public synchronized int setCalendar(List<ShowWindow> shows) {
        schedule = schedule.withCalendar(shows);
        calendarFailing = false;
        LOG.info("Programme calendar: {} shows ahead", shows.size());
        return shows.size();
    }

    /**
     * Reading the programme calendar failed; the shows read before stay. Returns the alert's sentence on
     * the first failure after a success (null on the ones after it), so a calendar that is down alerts once.
     */
    public synchronized String calendarFailed(String why) {
        LOG.warn("Programme calendar not read: {}", why);
        if (calendarFailing) {
            return null;
        }
        calendarFailing = true;
        return "The programme calendar could not be read (" + why + "); the schedule keeps "
                + schedule.calendar().size() + " shows read before and the weekly windows.";
    }

    /** When a window next opens or closes (null: none within a year); the Quartz edge trigger is aimed there. */
    public Instant nextEdge() {
        return schedule.nextEdge(clock.instant()).orElse(null);
    }

    /** The windows of the next {@code weeks} weeks, exceptions and calendar applied: the .ics feed's events. */
    public List<ShowWindow> upcoming(int weeks) {
        Instant now = clock.instant();
        return schedule.windows(now, now.plus(Duration.ofDays(7L * weeks)));
    }

    public boolean insideWindow() {
        return schedule.current(clock.instant()).isPresent();
    }

    /**
     * Whether OBS should be recording now by the schedule: it is on, a window is open, and nobody stopped
     * this window's recording by hand (a deliberate stop is not an alarm).
     */
    public synchronized boolean recordingDue() {
        Optional<ShowWindow> window = schedule.current(clock.instant());
        return enabled && window.isPresent() && !window.get().start().toInstant().equals(stoppedByHand);
    }

    // --- next recording ---------------------------------------------------------------------------

    /** {@code GET /api/schedule/next}: the original's fields, plus the current window and the next 14 days. */
    public NextRecording next() {
        Instant now = clock.instant();
        ZonedDateTime today = now.atZone(schedule.zone());
        NextRecording.Window current = schedule.current(now).map(NextRecording.Window::of).orElse(null);
        List<NextRecording.Window> windows = schedule.windows(now, now.plus(Duration.ofDays(14))).stream()
                .map(NextRecording.Window::of).toList();
        List<WeekDay> week = week(schedule.week());
        Optional<ShowWindow> next = schedule.next(now);
        if (next.isEmpty()) {
            return new NextRecording(current != null, current, null, null, null, null, null, null, null,
                    "Keine Aufnahme geplant", windows, enabled, week);
        }
        ZonedDateTime start = next.get().start();
        long days = Duration.between(today.toLocalDate().atStartOfDay(schedule.zone()),
                start.toLocalDate().atStartOfDay(schedule.zone())).toDays();
        Duration until = Duration.between(now, start.toInstant());
        String day = days == 0 ? "heute" : days == 1 ? "morgen" : start.getDayOfWeek().getDisplayName(TextStyle.FULL, GERMAN);
        return new NextRecording(current != null, current, start.toLocalDateTime(), day, HM.format(start), days,
                until.toHours(), until.toMinutes(), start.getDayOfWeek().getValue() - 1,
                "Die Aufnahme startet automatisch " + (days <= 1 ? day : "am " + day) + " um " + HM.format(start) + " Uhr",
                windows, enabled, week);
    }

    /** The weekly windows per weekday, Monday (0) first, every day listed: what the API and the operator page show. */
    public static List<WeekDay> week(WeekWindows week) {
        List<WeekDay> days = new ArrayList<>();
        for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
            days.add(new WeekDay(day.getValue() - 1, WeekWindows.name(day), week.on(day).stream()
                    .map(w -> new WeekDay.Hours(WeekWindows.text(w.start()), WeekWindows.text(w.end()))).toList()));
        }
        return days;
    }

    // --- exceptions -------------------------------------------------------------------------------

    public ScheduleExceptions exceptions() {
        return schedule.exceptions();
    }

    /** Replaces the exceptions after checking them; persisted atomically, in effect at once. */
    public synchronized ScheduleExceptions setExceptions(ScheduleExceptions requested) {
        if (requested == null) {
            throw Refusal.invalid("A JSON body with 'closed_dates' and 'extra_shows' is required.");
        }
        Set<LocalDate> seen = new HashSet<>();
        for (LocalDate d : requested.closedDates()) {
            if (d == null || !seen.add(d)) {
                throw Refusal.invalid("Field 'closed_dates': every date once, as yyyy-MM-dd.");
            }
        }
        for (int i = 0; i < requested.extraShows().size(); i++) {
            ScheduleExceptions.ExtraShow show = requested.extraShows().get(i);
            if (show == null || show.date() == null || show.startTime() == null || show.endTime() == null) {
                throw Refusal.invalid("Field 'extra_shows[" + i + "]': date, start_time and end_time are required.");
            }
            if (show.startTime().equals(show.endTime())) {
                throw Refusal.invalid("Field 'extra_shows[" + i + "]': end_time must differ from start_time.");
            }
        }
        try {
            Files.createDirectories(exceptionsFile.toAbsolutePath().getParent());
            Path tmp = exceptionsFile.resolveSibling(exceptionsFile.getFileName() + ".tmp");
            Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(requested));
            Files.move(tmp, exceptionsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + exceptionsFile, e);
        }
        schedule = schedule.with(requested);
        LOG.info("Schedule exceptions now: {} closed nights, {} extra shows", requested.closedDates().size(),
                requested.extraShows().size());
        return requested;
    }

    private ScheduleExceptions loadExceptions() {
        if (!Files.exists(exceptionsFile)) {
            return ScheduleExceptions.NONE;
        }
        try {
            return json.readValue(exceptionsFile.toFile(), ScheduleExceptions.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + exceptionsFile, e);
        }
    }
}
