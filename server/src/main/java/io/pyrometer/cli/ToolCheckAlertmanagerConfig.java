package io.pyrometer.cli;

import io.pyrometer.alerting.config.AlertmanagerConfig;
import io.pyrometer.alerting.config.AlertmanagerConfigLoader;
import io.pyrometer.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pyrometer tool check alertmanager-config FILE...}: validates Alertmanager configs and
 * prints what {@code amtool check-config} prints (upstream {@code cli/check_config.go}); exit 1
 * when any file fails.
 */
final class ToolCheckAlertmanagerConfig {
    private ToolCheckAlertmanagerConfig() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && ToolCommand.isHelp(args.getFirst())) {
            out.println("""
                    usage: pyrometer tool check alertmanager-config <config-files>...

                    Validate alertmanager config files, as 'amtool check-config' does.""");
            return ToolCommand.SUCCESS;
        }
        if (args.isEmpty()) return ToolCommand.usageError(err, "required argument 'config-files' not provided");
        int failed = 0;
        for (String f : args) {
            out.print("Checking '" + f + "'");
            try {
                AlertmanagerConfig c = AlertmanagerConfigLoader.load(Path.of(f));
                out.println("  SUCCESS");
                out.println("Found:");
                if (c.global() != null) out.println(" - global config");
                if (c.route() != null) out.println(" - route");
                out.println(" - " + c.inhibitRules().size() + " inhibit rules");
                out.println(" - " + c.receivers().size() + " receivers");
                out.println(" - " + c.templates().size() + " templates");
            } catch (ConfigException e) {
                out.println("  FAILED: " + e.getMessage());
                failed++;
            }
            out.println();
        }
        if (failed > 0) {
            err.println("pyrometer tool: error: failed to validate " + failed + " file(s)");
            return ToolCommand.FAILURE;
        }
        return ToolCommand.SUCCESS;
    }
}
