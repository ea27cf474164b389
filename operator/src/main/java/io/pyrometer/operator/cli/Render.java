package io.pyrometer.operator.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.AlertRoute;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.desired.Desired;
import io.pyrometer.operator.desired.Inputs;
import io.pyrometer.operator.desired.PrometheusDesired;
import io.pyrometer.operator.desired.Settings;
import io.pyrometer.operator.desired.Verdict;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pyrometer-operator render -f DIR_OR_FILE...}: prints, as multi-document YAML, exactly
 * the objects reconciliation would server-side apply for every Prometheus in the manifests, using
 * the same {@link PrometheusDesired} code path, offline. The verdict on every selected
 * ServiceMonitor/PodMonitor/PrometheusRule goes to stderr as {@code # Accepted ...} /
 * {@code # Rejected ...} lines. Exit status: 0, 1 when a Prometheus has a problem or a selected
 * resource is rejected, 2 for bad usage or unreadable manifests.
 */
public final class Render {
    static final String USAGE = """
            Usage: pyrometer-operator render -f DIR_OR_FILE [-f DIR_OR_FILE...] [flags]

            Prints the objects reconciliation would apply for the Prometheus resources found in
            the manifests (YAML/JSON files; directories are read recursively), offline.

            Flags:
              -f, --filename PATH    manifest file or directory (repeatable; required)
              --default-image IMAGE  image repository when a Prometheus sets none (default: %s)
              --default-version V    version when a Prometheus sets none (default: %s)
              -h, --help             this help
            """.formatted(Settings.DEFAULT.defaultImage(), Settings.DEFAULT.defaultVersion());

    private Render() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<Path> paths = new ArrayList<>();
        String image = Settings.DEFAULT.defaultImage();
        String version = Settings.DEFAULT.defaultVersion();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = null;
            int eq = a.indexOf('=');
            String flag = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            if (a.startsWith("--") && eq > 0) v = a.substring(eq + 1);
            switch (flag) {
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "-f", "--filename", "--default-image", "--default-version" -> {
                    if (v == null) {
                        if (i + 1 >= args.size()) {
                            err.println("render: flag " + flag + " needs a value\n\n" + USAGE);
                            return 2;
                        }
                        v = args.get(++i);
                    }
                    switch (flag) {
                        case "--default-image" -> image = v;
                        case "--default-version" -> version = v;
                        default -> paths.add(Path.of(v));
                    }
                }
                default -> {
                    err.println("render: unknown argument " + a + "\n\n" + USAGE);
                    return 2;
                }
            }
        }
        if (paths.isEmpty()) {
            err.println("render: give at least one -f DIR_OR_FILE\n\n" + USAGE);
            return 2;
        }
        List<HasMetadata> resources;
        try {
            resources = Manifests.load(paths);
        } catch (Manifests.ManifestException e) {
            err.println("render: " + e.getMessage());
            return 2;
        }
        return render(resources, new Settings(image, version), out, err);
    }

    static int render(List<HasMetadata> resources, Settings settings, PrintStream out, PrintStream err) {
        Inputs in = inputsOf(resources);
        PrometheusDesired pd = new PrometheusDesired(settings);
        int status = 0;
        boolean any = false;
        for (HasMetadata r : resources) {
            if (!(r instanceof Prometheus p)) continue;
            any = true;
            if (p.getMetadata().getUid() == null) p.getMetadata().setUid("");
            Desired d = pd.desired(p, in);
            for (HasMetadata o : d.objects()) {
                out.print("---\n");
                String y = Serialization.asYaml(o).replaceFirst("^---\n", "");
                out.print(y.endsWith("\n") ? y : y + "\n");
            }
            String who = "Prometheus " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            for (String problem : d.problems()) {
                err.println("# " + who + ": problem: " + problem);
                status = 1;
            }
            for (Verdict v : d.verdicts()) {
                String what = v.resource().getKind() + " " + v.resource().getMetadata().getNamespace() + "/"
                        + v.resource().getMetadata().getName();
                if (v.accepted()) {
                    err.println("# " + who + ": Accepted " + what);
                } else {
                    err.println("# " + who + ": Rejected " + what + " (" + v.reason() + "): " + v.message());
                    status = 1;
                }
            }
            if (d.selected() == 0) err.println("# " + who + ": NoSelectedResources: the selectors match nothing");
        }
        if (!any) {
            err.println("render: no pyrometer.io/v1alpha1 Prometheus in the manifests: nothing to render");
            return 1;
        }
        return status;
    }

    static Inputs inputsOf(List<HasMetadata> resources) {
        List<Namespace> nss = new ArrayList<>();
        List<ServiceMonitor> sms = new ArrayList<>();
        List<PodMonitor> pms = new ArrayList<>();
        List<PrometheusRule> rules = new ArrayList<>();
        List<AlertRoute> routes = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        for (HasMetadata r : resources) {
            switch (r) {
                case Namespace n -> nss.add(n);
                case ServiceMonitor m -> sms.add(m);
                case PodMonitor m -> pms.add(m);
                case PrometheusRule m -> rules.add(m);
                case AlertRoute m -> routes.add(m);
                case Secret s -> secrets.add(s);
                default -> { }
            }
        }
        return new Inputs(nss, sms, pms, rules, routes, secrets);
    }
}
