package de.scheincam;

import java.nio.file.Path;
import java.util.Properties;

import de.scheincam.settings.VenueSettings;
import org.apache.camel.main.Main;

/**
 * Starts ScheinCam: settings from {@code <home>/application.properties}, flows from {@code <home>/routes}.
 * The home is {@code -Dscheincam.home}, else {@code SCHEINCAM_HOME}, else the working directory, so the
 * jar can run from anywhere (a systemd unit, a test's temporary folder) and still find its files.
 */
public final class ScheinCam {

    /** Settings saved through the API, beside application.properties; they win over it. */
    public static final String SAVED_SETTINGS = "settings.properties";

    private ScheinCam() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && "--hash-secret".equals(args[0])) {
            // the stored form of a token or password for application.properties, read from stdin
            String secret = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (secret == null || secret.isBlank()) {
                System.err.println("Type the secret on standard input.");
                System.exit(2);
            }
            System.out.println(de.scheincam.web.Secret.hash(secret.trim()));
            return;
        }
        Path home = home();
        // before the first logger exists: log4j2.xml writes to <home>/logs
        System.setProperty("scheincam.logs.path", home.resolve("logs").toString());
        Main main = create(home, new Properties());
        main.run(args);
    }

    /**
     * Camel's own settings in application.properties (camel.server.port, …) from environment variables
     * (CAMEL_SERVER_PORT): camel-main applies the file's value to its HTTP server otherwise, as it does
     * not map these names itself. {@code -D} still wins.
     */
    static Properties camelSettingsFromEnvironment(Path file) {
        Properties fromFile = new Properties();
        if (java.nio.file.Files.exists(file)) {
            try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file)) {
                fromFile.load(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file, e);
            }
        }
        Properties fromEnv = new Properties();
        for (String key : fromFile.stringPropertyNames()) {
            String value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (key.startsWith("camel.") && value != null && System.getProperty(key) == null) {
                fromEnv.setProperty(key, value);
            }
        }
        return fromEnv;
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
        // settings whose default is empty: Camel reads an empty defaultValue as "none", so an older
        // application.properties without a newer key would stop the start
        for (java.lang.reflect.Field field : ScheinCamConfiguration.class.getDeclaredFields()) {
            org.apache.camel.PropertyInject inject = field.getAnnotation(org.apache.camel.PropertyInject.class);
            if (inject != null && inject.defaultValue().isEmpty()) {
                initial.setProperty(inject.value(), "");
            }
        }
        initial.setProperty("scheincam.home", home.toString());
        main.setInitialProperties(initial);
        Properties effective = camelSettingsFromEnvironment(home.resolve("application.properties"));
        effective.putAll(VenueSettings.readSaved(home.resolve(SAVED_SETTINGS)));
        effective.putAll(overrides);
        if (!effective.isEmpty()) {
            main.setOverrideProperties(effective);
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
