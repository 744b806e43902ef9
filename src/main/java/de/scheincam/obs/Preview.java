package de.scheincam.obs;

/** {@code GET /api/recordings/preview}: the latest program picture (a data URL; null while OBS is away). */
public record Preview(boolean connected, boolean muted, String image) {
}
