package io.pyrometer.operator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code pyrometer-operator} executable. {@code render} runs offline without booting Quarkus;
 * anything else (or nothing) starts the operator, which reconciles until stopped.
 */
@QuarkusMain
public final class OperatorMain {
    static final String USAGE = """
            Usage: pyrometer-operator [run]                 reconcile pyrometer.io Prometheus resources in the current cluster
                   pyrometer-operator render -f PATH...     print what reconciliation would apply, offline
                   pyrometer-operator --help

            The operator is configured with environment variables or system properties
            (Quarkus configuration):
              PYROMETER_OPERATOR_DEFAULT_IMAGE    image repository when a Prometheus sets none (default: ghcr.io/pyrometer/pyrometer)
              PYROMETER_OPERATOR_DEFAULT_VERSION  version when a Prometheus sets none (default: 0.1.0)
              QUARKUS_OPERATOR_SDK_NAMESPACES     namespaces to watch (default: all)
            The cluster is the one in-cluster credentials or ~/.kube/config point at.
            """;

    private OperatorMain() {}

    public static void main(String... args) {
        List<String> a = Arrays.asList(args);
        if (!a.isEmpty() && a.get(0).equals("render")) {
            System.exit(Render.run(a.subList(1, a.size()), System.out, System.err));
        }
        if (!a.isEmpty() && (a.get(0).equals("--help") || a.get(0).equals("-h") || a.get(0).equals("help"))) {
            System.out.print(USAGE);
            System.exit(0);
        }
        if (!a.isEmpty() && !a.get(0).equals("run")) {
            System.err.print("pyrometer-operator: unknown command " + a.get(0) + "\n\n" + USAGE);
            System.exit(2);
        }
        Quarkus.run(args);
    }
}
