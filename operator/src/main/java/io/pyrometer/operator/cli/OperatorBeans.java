package io.pyrometer.operator.cli;

import io.pyrometer.operator.desired.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** CDI wiring: the operator's settings from Quarkus configuration. */
@ApplicationScoped
public class OperatorBeans {
    @Produces
    @Singleton
    Settings settings(@ConfigProperty(name = "pyrometer.operator.default-image", defaultValue = "ghcr.io/pyrometer/pyrometer") String image,
            @ConfigProperty(name = "pyrometer.operator.default-version", defaultValue = "0.1.0") String version) {
        return new Settings(image, version);
    }
}
