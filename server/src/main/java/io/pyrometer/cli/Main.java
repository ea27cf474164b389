package io.pyrometer.cli;

/** The executable: {@code pyrometer server | tool ...}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("pyrometer: roles are being built");
    }
}
