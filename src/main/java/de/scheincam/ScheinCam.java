package de.scheincam;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.main.Main;

/**
 * Starts ScheinCam: settings from {@code <home>/application.properties}, flows from {@code <home>/routes}.
 * The home is {@code -Dscheincam.home}, else {@code SCHEINCAM_HOME}, else the working directory, so the
 * jar can run from anywhere (a systemd unit, a test's temporary folder) and still find its files.
 */
public final class ScheinCam {

    private ScheinCam() {
    }

    public static void main(String[] args) throws Exception {
        Path home = home();
        // before the first logger exists: log4j2.xml writes to <home>/logs
        System.setProperty("scheincam.logs.path", home.resolve("logs").toString());
        Main main = create(home, new Properties());
        main.run(args);
    }

    /** The app home: where application.properties, routes/ and (by default) videos/ live. */
    public static Path home() {
        String configured = System.getProperty("scheincam.home");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("SCHEINCAM_HOME");
        }
        if (configured == null || configured.isBlank()) {
            configured = ".";
        }
        return Path.of(configured).toAbsolutePath().normalize();
    }

    /**
     * Builds the Camel main for a home. {@code overrides} win over the properties file, as -D and
     * environment variables do; tests use them to pick a free port.
     */
    public static Main create(Path home, Properties overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + home.resolve("application.properties") + ";optional=true");
        Properties initial = new Properties();
        initial.setProperty("scheincam.home", home.toString());
        main.setInitialProperties(initial);
        if (!overrides.isEmpty()) {
            main.setOverrideProperties(overrides);
        }
        Path routes = home.resolve("routes");
        main.configure()
                .withRoutesIncludePattern("file:" + routes + "/*.camel.yaml")
                .withRoutesReloadDirectory(routes.toString())
                .withRoutesReloadPattern("*.camel.yaml")
                .addConfiguration(ScheinCamConfiguration.class);
        return main;
    }
}
