package de.scheincam.shows;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import de.scheincam.frames.Filmstrips;
import de.scheincam.library.Recording;

/**
 * A show's filmstrip: its parts' own filmstrips (each its own cached sprite, as
 * {@code GET /api/videos/{filename}/filmstrip} gives it) laid end to end in wall-clock order, with tiles
 * marked as gap where nothing was recorded (on the same grid, going on from the part before's last tile;
 * at least one per gap, so every gap shows). Nothing is
 * decoded here that the per-recording filmstrips would not decode anyway.
 */
public class ShowFilmstrips {

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Shows shows;
    private final Filmstrips filmstrips;

    public ShowFilmstrips(Shows shows, Filmstrips filmstrips) {
        this.shows = shows;
        this.filmstrips = filmstrips;
    }

    /**
     * {@code GET /api/shows/{id}/filmstrip} (ShowFilmstrip): like a recording's, with {@code id} for
     * {@code filename}, {@code offsets} in seconds from the show's start, and per tile where its picture
     * is: {@code part} (index into {@code parts}, each a recording's filmstrip with its sprite) and
     * {@code tile} (index in that sprite), or {@code gap} true and no picture.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShowFilmstrip(String id, int everySeconds, int tileWidth, int tileHeight, int columns, int count,
                                List<String> times, List<Long> offsets, List<Tile> tiles, List<Filmstrips.Description> parts) {
    }

    /** One tile: a part's picture, or a gap. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Tile(String time, long offset, boolean gap, Integer part, Integer tile) {
    }

    public ShowFilmstrip describe(String id, String every) {
        Show show = shows.find(id);
        List<Recording> parts = shows.parts(id);
        List<Filmstrips.Description> strips = new ArrayList<>();
        for (Recording part : parts) {
            strips.add(filmstrips.describe(part.filename(), every));
        }
        Filmstrips.Description first = strips.get(0);
        int everySeconds = first.everySeconds();
        LocalDateTime showStart = show.startTime();
        List<Tile> tiles = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            Recording part = parts.get(p);
            for (Show.Gap gap : show.gaps()) {
                if (gap.endTime().equals(part.startTime())) {
                    // the grid goes on from the part before's last tile; a gap shorter than a tile still gets one
                    Tile last = tiles.get(tiles.size() - 1);
                    LocalDateTime t = showStart.plusSeconds(last.offset() + everySeconds);
                    if (!t.isBefore(gap.endTime())) {
                        t = gap.startTime();
                    }
                    do {
                        tiles.add(new Tile(HMS.format(t), Duration.between(showStart, t).toSeconds(), true, null, null));
                        t = t.plusSeconds(everySeconds);
                    } while (t.isBefore(gap.endTime()));
                }
            }
            Filmstrips.Description strip = strips.get(p);
            long partOffset = Duration.between(showStart, part.startTime()).toSeconds();
            for (int i = 0; i < strip.count(); i++) {
                tiles.add(new Tile(strip.times().get(i), partOffset + strip.offsets().get(i), false, p, i));
            }
        }
        return new ShowFilmstrip(show.id(), everySeconds, first.tileWidth(), first.tileHeight(), first.columns(), tiles.size(),
                tiles.stream().map(Tile::time).toList(), tiles.stream().map(Tile::offset).toList(), tiles, strips);
    }
}
