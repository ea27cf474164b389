package io.pyrometer.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code pyrometer server}: parses flags, starts {@link Server}, waits for a signal or /-/quit. */
final class ServerCommand {
    private static final System.Logger LOG = System.getLogger(ServerCommand.class.getName());

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
        java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled.set(true);
            LOG.log(System.Logger.Level.INFO, "received a termination signal, exiting gracefully");
            quit.countDown();
            server.close();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            quit.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!signalled.get()) LOG.log(System.Logger.Level.INFO, "quit requested, exiting gracefully");
        server.close();
        return 0;
    }
}
