package de.scheincam.shows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.core.Refusal;
import de.scheincam.library.MetadataStore;
import de.scheincam.library.Recording;
import de.scheincam.library.RecordingLibrary;
import de.scheincam.schedule.ScheduleExceptions;
import de.scheincam.schedule.WeekWindows;
import de.scheincam.schedule.WeeklySchedule;
import de.scheincam.web.JsonBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Recordings grouped into shows: the window and gap rules, gaps with their reasons, stable ids, deletions. */
class ShowsTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ObjectMapper JSON = JsonBodies.mapper();

    @TempDir
    Path videos;

    /** A finished recording on disk with its metadata: from start, lasting seconds. */
    private void recorded(String start, double seconds) throws IOException {
        LocalDateTime s = LocalDateTime.parse(start);
        String name = String.format("%02d-%02d-%02d_%02d-%02d-%02d", s.getYear() % 100, s.getMonthValue(), s.getDayOfMonth(),
                s.getHour(), s.getMinute(), s.getSecond());
        Path file = videos.resolve(name + ".mkv");
        Files.write(file, new byte[1024]);
        LocalDateTime end = s.plusNanos(Math.round(seconds * 1e9)).withNano(0);
        Files.setLastModifiedTime(file, FileTime.from(end.atZone(BERLIN).toInstant()));
        new MetadataStore(videos, JSON).write(new Recording(name + ".mkv", name, s, end, seconds, 1024, "mkv", false, false,
                640, 360, 30.0, null, false));
    }

    /** A recording OBS has just begun: the file appears (its last change a few seconds after its start). */
    private void appears(RecordingLibrary library, String start) throws IOException {
        LocalDateTime s = LocalDateTime.parse(start);
        String name = String.format("%02d-%02d-%02d_%02d-%02d-%02d", s.getYear() % 100, s.getMonthValue(), s.getDayOfMonth(),
                s.getHour(), s.getMinute(), s.getSecond());
        Path file = videos.resolve(name + ".mkv");
        Files.write(file, new byte[512]);
        Files.setLastModifiedTime(file, FileTime.from(s.plusSeconds(3).atZone(BERLIN).toInstant()));
        library.fileChanged(file.toString());
    }

    private RecordingLibrary library() {
        return new RecordingLibrary(videos, BERLIN, Duration.ofSeconds(5), Clock.systemUTC(), new MetadataStore(videos, JSON));
    }

    private Shows shows(RecordingLibrary library, String windows) {
        WeeklySchedule schedule = new WeeklySchedule(WeekWindows.parse(windows), BERLIN, ScheduleExceptions.NONE, List.of());
        ShowGrouping grouping = new ShowGrouping(Duration.ofMinutes(30), BERLIN, () -> schedule, library::endOf);
        library.placeWith(grouping);
        return new Shows(library, grouping, new ShowStore(videos.resolve("shows"), JSON), Clock.systemUTC(), BERLIN);
    }

    @Test
    void theRecordingsOfOneWindowAreOneShowHoweverLongTheBreak() throws IOException {
        // Friday 4 December 2026: OBS away for 45 minutes mid-show, and a sound check in the afternoon
        recorded("2026-12-04T15:00:00", 600);
        recorded("2026-12-04T19:50:00", 2400);
        recorded("2026-12-04T21:15:00", 3300);
        Shows shows = shows(library(), "Fr 19:50-22:10");

        ShowListing listing = shows.listing();
        assertThat(listing.total()).isEqualTo(2);
        assertThat(listing.shows()).extracting(Show::id).containsExactly("2026-12-04_19-50", "2026-12-04_15-00");
        Show evening = listing.shows().get(0);
        assertThat(evening.parts()).extracting(Show.Part::filename)
                .containsExactly("26-12-04_19-50-00.mkv", "26-12-04_21-15-00.mkv");
        assertThat(evening.startTime()).isEqualTo(LocalDateTime.parse("2026-12-04T19:50:00"));
        assertThat(evening.endTime()).isEqualTo(LocalDateTime.parse("2026-12-04T22:10:00"));
        assertThat(evening.recordedSeconds()).isEqualTo(5700.0);
        assertThat(evening.inProgress()).isFalse();
        assertThat(evening.title()).isEqualTo("Freitag, 04.12.2026 · 19:50");
        assertThat(evening.gaps()).containsExactly(new Show.Gap(LocalDateTime.parse("2026-12-04T20:30:00"),
                LocalDateTime.parse("2026-12-04T21:15:00"), 2700.0, null));
        assertThat(evening.acts()).isEmpty();
        assertThat(listing.shows().get(1).parts()).hasSize(1);
        assertThat(listing.shows().get(1).gaps()).isEmpty();
    }

    @Test
    void outsideWindowsBreaksShorterThanTheMaximumGapJoinAndLongerOnesSplit() throws IOException {
        recorded("2026-12-07T10:00:00", 1200);  // Monday, no window
        recorded("2026-12-07T10:40:00", 1200);  // 20 min later: the same show
        recorded("2026-12-07T11:50:00", 600);   // 30 min later: a new one
        Shows shows = shows(library(), "Fr 19:50-22:10");

        assertThat(shows.listing().shows()).extracting(Show::id).containsExactly("2026-12-07_11-50", "2026-12-07_10-00");
        Show morning = shows.find("2026-12-07_10-00");
        assertThat(morning.parts()).hasSize(2);
        assertThat(morning.gaps()).extracting(Show.Gap::seconds).containsExactly(1200.0);
    }

    @Test
    void twoWindowsAreTwoShowsEvenWithAShortBreak() throws IOException {
        recorded("2026-12-06T15:00:00", 3600);
        recorded("2026-12-06T16:05:00", 1800);
        Shows shows = shows(library(), "Su 15:00-16:00, 16:05-17:00");
        assertThat(shows.listing().shows()).extracting(Show::id).containsExactly("2026-12-06_16-05", "2026-12-06_15-00");
    }

    @Test
    void aRecordingResumingTheShowCarriesWhyThereWasAGap() throws IOException {
        recorded("2026-12-04T19:50:00", 1200);
        RecordingLibrary library = library();
        Shows shows = shows(library, "Fr 19:50-22:10");
        // nothing ended in this run of the app yet: the first recording resuming the show follows a restart
        appears(library, "2026-12-04T20:12:00");
        library.recordingEnded(Recording.OBS_LOST);
        appears(library, "2026-12-04T20:40:00");
        // OBS 29's mkv muxer creates its file, removes it and creates it again: the reason stays
        Path again = videos.resolve("26-12-04_20-40-00.mkv");
        Files.delete(again);
        library.fileDeleted(again.toString());
        appears(library, "2026-12-04T20:40:00");
        library.recordingEnded(Recording.STOPPED_BY_HAND);
        appears(library, "2026-12-04T21:00:00");
        library.recordingEnded(null); // the window closed
        appears(library, "2026-12-05T19:00:00"); // the next day, outside any window: a new show, no reason

        assertThat(library.find("26-12-04_20-12-00").gapReason()).isEqualTo(Recording.APP_RESTARTED);
        assertThat(library.find("26-12-04_20-12-00").showId()).isEqualTo("2026-12-04_19-50");
        assertThat(library.find("26-12-05_19-00-00").showId()).isEqualTo("2026-12-05_19-00");
        assertThat(library.find("26-12-05_19-00-00").gapReason()).isNull();
        Show show = shows.find("2026-12-04_19-50");
        assertThat(show.gaps()).extracting(Show.Gap::reason)
                .containsExactly(Recording.APP_RESTARTED, Recording.OBS_LOST, Recording.STOPPED_BY_HAND);
        assertThat(show.gaps().get(0).seconds()).isEqualTo(120.0); // 20:10:00 to 20:12:00
        assertThat(show.inProgress()).isTrue(); // files not probed yet
        assertThat(show.endTime()).isNull();
        assertThat(shows.listing().shows()).extracting(Show::id).containsExactly("2026-12-05_19-00", "2026-12-04_19-50");
    }

    @Test
    void idsStayTheSameAfterARestartAndOldLibrariesAreRepairedIntoShows() throws IOException {
        recorded("2026-12-04T19:50:00", 1200);
        recorded("2026-12-04T20:30:00", 1200);
        Shows first = shows(library(), "Fr 19:50-22:10");
        assertThat(first.listing().shows()).extracting(Show::id).containsExactly("2026-12-04_19-50");
        Path file = videos.resolve("shows/2026-12-04_19-50.json");
        JsonNode kept = JSON.readTree(file.toFile());
        assertThat(kept.path("parts")).hasSize(2);
        assertThat(JSON.readTree(videos.resolve("26-12-04_20-30-00.json").toFile()).path("show_id").asText())
                .isEqualTo("2026-12-04_19-50");

        // the schedule changed since: the ids were given when the parts were placed, and stay
        Shows again = shows(library(), "Mo 10:00-11:00");
        assertThat(again.listing().shows()).extracting(Show::id).containsExactly("2026-12-04_19-50");
        assertThat(again.find("2026-12-04_19-50").parts()).hasSize(2);
    }

    @Test
    void aDeletedPartLeavesTheShowAndTheLastOneTakesTheShowAlong() throws IOException {
        recorded("2026-12-04T19:50:00", 1200);
        recorded("2026-12-04T20:30:00", 1200);
        RecordingLibrary library = library();
        Shows shows = shows(library, "Fr 19:50-22:10");
        assertThat(shows.find("2026-12-04_19-50").gaps()).hasSize(1);

        library.delete("26-12-04_20-30-00");
        Show left = shows.find("2026-12-04_19-50");
        assertThat(left.parts()).extracting(Show.Part::filename).containsExactly("26-12-04_19-50-00.mkv");
        assertThat(left.gaps()).isEmpty();
        assertThat(left.endTime()).isEqualTo(LocalDateTime.parse("2026-12-04T20:10:00"));

        library.delete("26-12-04_19-50-00");
        shows.refresh();
        assertThat(shows.listing().total()).isZero();
        assertThat(videos.resolve("shows/2026-12-04_19-50.json")).doesNotExist();
        assertThatThrownBy(() -> shows.find("2026-12-04_19-50")).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
    }

    @Test
    void whatIsNoShowIdIsRefusedAsMalformed() throws IOException {
        Shows shows = shows(library(), "Fr 19:50-22:10");
        for (String bad : List.of("../videos", "2026-12-04", "2026-12-04_19-50/..", "x", "")) {
            assertThatThrownBy(() -> shows.find(bad)).as(bad).isInstanceOfSatisfying(Refusal.class,
                    r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.MALFORMED));
        }
        assertThat(ShowGrouping.newId(LocalDateTime.parse("2026-12-04T19:50:30"), java.util.Set.of("2026-12-04_19-50")))
                .isEqualTo("2026-12-04_19-50-2");
    }

    @Test
    void aLineupIsSetAndTheOperatorsTapsMarkWhenEachActStartsAndEnds() throws IOException {
        RecordingLibrary library = library();
        Shows shows = shows(library, "Fr 19:50-22:10");
        assertThatThrownBy(shows::nextAct).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.CONFLICT));
        appears(library, "2026-12-04T19:50:00"); // being recorded
        String id = "2026-12-04_19-50";
        Show planned = shows.setActs(id, new Lineup(List.of(new Lineup.Entry("Anna", null, null),
                new Lineup.Entry(" Ben ", null, null))));
        assertThat(planned.acts()).containsExactly(new Show.Act("Anna", null, null, "planned"),
                new Show.Act("Ben", null, null, "planned"));

        Show first = shows.nextAct();
        assertThat(first.acts().get(0).startTime()).isNotNull();
        assertThat(first.acts().get(0).endTime()).isNull();
        assertThat(first.acts().get(0).source()).isEqualTo("marked");
        assertThat(first.acts().get(1)).isEqualTo(new Show.Act("Ben", null, null, "planned"));
        Show second = shows.nextAct();
        assertThat(second.acts().get(0).endTime()).isNotNull().isEqualTo(second.acts().get(1).startTime());
        assertThat(second.acts().get(1).endTime()).isNull();
        Show third = shows.nextAct();
        assertThat(third.acts().get(1).endTime()).isNotNull();
        assertThatThrownBy(shows::nextAct).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.CONFLICT));

        // kept in the show's file, through a restart
        Shows again = shows(library, "Fr 19:50-22:10");
        assertThat(again.find(id).acts()).isEqualTo(third.acts());
        // a wrong lineup changes nothing
        LocalDateTime at = LocalDateTime.parse("2026-12-04T20:00:00");
        for (Lineup bad : List.of(new Lineup(List.of(new Lineup.Entry(" ", null, null))),
                new Lineup(List.of(new Lineup.Entry("Anna", at, at.minusMinutes(1)))))) {
            assertThatThrownBy(() -> again.setActs(id, bad)).isInstanceOfSatisfying(Refusal.class,
                    r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.INVALID));
        }
        assertThat(again.find(id).acts()).isEqualTo(third.acts());
        // markers moved afterwards
        Show moved = again.setActs(id, new Lineup(List.of(new Lineup.Entry("Anna", at, at.plusMinutes(6)))));
        assertThat(moved.acts()).containsExactly(new Show.Act("Anna", at, at.plusMinutes(6), "planned"));
    }
}
