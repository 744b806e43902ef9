package de.scheincam.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compact per-day form of scheincam.schedule.windows: read, written back, refused with a reason. */
class WeekWindowsTest {

    private static WeekWindows.Daily w(String start, String end) {
        return new WeekWindows.Daily(LocalTime.parse(start), LocalTime.parse(end));
    }

    @Test
    void readsDaysRangesAndSeveralWindowsADay() {
        WeekWindows week = WeekWindows.parse("Tu-Fr 19:50-22:10; Sa 19:50-22:15; Su 15:00-17:30, 19:50-22:10");
        assertThat(week.on(DayOfWeek.MONDAY)).isEmpty();
        for (DayOfWeek d : List.of(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            assertThat(week.on(d)).as(d.toString()).containsExactly(w("19:50", "22:10"));
        }
        assertThat(week.on(DayOfWeek.SATURDAY)).as("Saturday ends later").containsExactly(w("19:50", "22:15"));
        assertThat(week.on(DayOfWeek.SUNDAY)).as("matinee and evening").containsExactly(w("15:00", "17:30"), w("19:50", "22:10"));
        assertThat(week.toString()).isEqualTo("Tu-Fr 19:50-22:10; Sa 19:50-22:15; Su 15:00-17:30, 19:50-22:10");
        assertThat(WeekWindows.parse(week.toString())).isEqualTo(week);
        assertThat(week.sameWindowEveryDay()).isFalse();
    }

    @Test
    void acceptsGermanNamesListsWrappingRangesSecondsAndAnyOrder() {
        WeekWindows week = WeekWindows.parse(" so 19:50-22:10 ;Fr-Sa 21:00:30-01:30 ; Mi,do 9:00-12:00 ;");
        assertThat(week.on(DayOfWeek.SUNDAY)).containsExactly(w("19:50", "22:10"));
        assertThat(week.on(DayOfWeek.SATURDAY)).containsExactly(w("21:00:30", "01:30"));
        assertThat(week.on(DayOfWeek.WEDNESDAY)).containsExactly(w("09:00", "12:00"));
        assertThat(week.on(DayOfWeek.THURSDAY)).containsExactly(w("09:00", "12:00"));
        assertThat(week.toString()).isEqualTo("We,Th 09:00-12:00; Fr,Sa 21:00:30-01:30; Su 19:50-22:10");
        assertThat(WeekWindows.parse("Fr-Mo 21:00-01:30").days()).as("a range may wrap over the week's end")
                .containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
    }

    @Test
    void aDayNamedTwiceIsRefused() {
        assertThatThrownBy(() -> WeekWindows.parse("Fr-Mo 21:00-01:30; So 19:50-22:10"))
                .hasMessageContaining("Su is named twice");
    }

    @Test
    void blankIsNoWindowsAndTheOldSettingsStillSayOneWindowOnChosenDays() {
        assertThat(WeekWindows.parse("  ").isEmpty()).isTrue();
        WeekWindows old = WeekWindows.every(ScheduleSettings.weekdays("2,3,4,5,6"), LocalTime.parse("19:50"), LocalTime.parse("22:10"));
        assertThat(old.toString()).isEqualTo("We-Su 19:50-22:10");
        assertThat(old.sameWindowEveryDay()).isTrue();
        WeekSetting setting = new WeekSetting(LocalTime.parse("19:50"), LocalTime.parse("22:10"),
                ScheduleSettings.weekdays("2,3,4,5,6"), WeekWindows.NONE);
        assertThat(setting.effective()).as("windows empty: start-time/end-time/weekdays").isEqualTo(old);
        WeekSetting perDay = new WeekSetting(LocalTime.parse("19:50"), LocalTime.parse("22:10"),
                ScheduleSettings.weekdays("2,3,4,5,6"), WeekWindows.parse("Sa 19:50-22:15"));
        assertThat(perDay.effective().days()).as("windows set: they win").containsExactly(DayOfWeek.SATURDAY);
    }

    @Test
    void mistakesAreRefusedWithThePartThatIsWrong() {
        assertThatThrownBy(() -> WeekWindows.parse("Xy 19:50-22:10")).hasMessageContaining("'Xy' is not a day");
        assertThatThrownBy(() -> WeekWindows.parse("Sa 19:50")).hasMessageContaining("'19:50' is not a window");
        assertThatThrownBy(() -> WeekWindows.parse("Sa 25:00-26:00")).hasMessageContaining("00:00 … 23:59");
        assertThatThrownBy(() -> WeekWindows.parse("Sa 20:00-20:00")).hasMessageContaining("must differ");
        assertThatThrownBy(() -> WeekWindows.parse("19:50-22:10")).hasMessageContaining("days, then windows");
        assertThatThrownBy(() -> WeekWindows.parse("Su 15:00-18:00, 17:30-22:10")).hasMessageContaining("overlap");
        assertThatThrownBy(() -> WeekWindows.parse("Sa 22:00-02:00, 23:00-23:30")).hasMessageContaining("overlap");
        assertThatThrownBy(() -> WeekWindows.parse("Sa 22:00-16:00; Su 15:00-17:30"))
                .hasMessageContaining("Sa 22:00-16:00 runs into Su 15:00-17:30");
    }
}
