package de.scheincam.obs;

/**
 * What things are called in the venue's OBS scene collection: the program scene and the privacy
 * ("muted") scene, the logo source and the filter that hides it, the camera input, and the source
 * the preview shows.
 */
public record ObsNames(String mainScene, String mutedScene, String logoSource, String logoFilter,
                       String cameraInput, String previewSource) {
}
