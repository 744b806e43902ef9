package de.scheincam;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{path:scheincam.videos.dir}}} in a route: the setting's value resolved against the app home,
 * so routes and beans agree on one absolute folder whatever the working directory is.
 */
public class HomePathFunction implements PropertiesFunction {

    private final CamelContext context;

    public HomePathFunction(CamelContext context) {
        this.context = context;
    }

    @Override
    public String getName() {
        return "path";
    }

    @Override
    public String apply(String settingName) {
        String home = context.getPropertiesComponent().resolveProperty("scheincam.home").orElse(".");
        String value = context.getPropertiesComponent().resolveProperty(settingName.trim())
                .orElseThrow(() -> new IllegalArgumentException("no setting " + settingName));
        return Path.of(home).resolve(value).toAbsolutePath().normalize().toString();
    }
}
