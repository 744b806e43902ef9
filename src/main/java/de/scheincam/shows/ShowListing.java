package de.scheincam.shows;

import java.util.List;

/** {@code GET /api/shows}: the shows, newest first, and how many. */
public record ShowListing(List<Show> shows, int total) {
}
