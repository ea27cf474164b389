package io.pyrometer.model;

/** Version facts of the running build, from the jar manifest when packaged. */
public final class BuildInfo {
    private BuildInfo() {}

    public static final String VERSION = orDefault(BuildInfo.class.getPackage().getImplementationVersion(), "0.1.0-dev");
    public static final String REVISION = orDefault(System.getProperty("pyrometer.revision"), "unknown");
    public static final String BRANCH = "main";

    private static String orDefault(String v, String d) { return v == null || v.isEmpty() ? d : v; }
}
