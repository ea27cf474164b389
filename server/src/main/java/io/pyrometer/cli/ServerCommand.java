package io.pyrometer.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code pyrometer server}: parses flags, starts {@link Server}, waits for a signal or /-/quit. */
final class ServerCommand {
    private ServerCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Flags flags = ServerFlags.declare();
        try {
            flags.parse(args);
        } catch (Flags.UsageException e) {
            err.println("pyrometer server: error: " + e.getMessage());
            return 2;
        }
        if (flags.helpRequested()) {
            flags.printHelp(out);
            return 0;
        }
        if (!flags.positional().isEmpty()) {
            err.println("pyrometer server: error: unexpected argument \"" + flags.positional().getFirst() + "\"");
            return 2;
        }
        try {
            Logging.configure(flags.get("log.level"), flags.get("log.format"));
        } catch (IllegalArgumentException e) {
            err.println("pyrometer server: error: " + e.getMessage());
            return 2;
        }
        CountDownLatch quit = new CountDownLatch(1);
        Server server;
        try {
            server = Server.start(flags, quit::countDown);
        } catch (Server.StartupException e) {
            err.println("pyrometer server: error: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(() -> {
            quit.countDown();
            server.close();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            quit.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        return 0;
    }
}
