package io.pyrometer.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Version facts of the running build: the version from the jar manifest, the git revision, branch
 * and UTC build date from {@code build-info.properties}, which the build writes (server/pom.xml,
 * antrun {@code build-info}); "unknown" / empty where the build had no git checkout.
 */
public final class BuildInfo {
    private BuildInfo() {}

    private static final Properties BUILD = load();

    public static final String VERSION = orDefault(BuildInfo.class.getPackage().getImplementationVersion(), "0.1.0-dev");
    /** Full commit hash, as Prometheus's {@code revision}. */
    public static final String REVISION = orDefault(System.getProperty("pyrometer.revision"), orDefault(BUILD.getProperty("revision"), "unknown"));
    public static final String BRANCH = orDefault(BUILD.getProperty("branch"), "unknown");
    /** {@code yyyyMMdd-HH:mm:ss} in UTC, Prometheus's {@code buildDate} format; empty when unknown. */
    public static final String BUILD_DATE = orDefault(BUILD.getProperty("buildDate"), "");

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no build facts: defaults
        }
        return p;
    }

    private static String orDefault(String v, String d) { return v == null || v.isBlank() ? d : v.strip(); }
}
