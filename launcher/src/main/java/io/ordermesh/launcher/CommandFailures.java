package io.ordermesh.launcher;

import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How a command that failed says so. A mistake in what it was given (an unknown service, a missing key
 * file: refused by Ordermesh's own checks) is one line and the usage exit code, 2; anything else is a
 * failure, 1, with its stack trace for whoever has to look into it.
 */
final class CommandFailures implements IExecutionExceptionHandler {

  private static final String OWN_CODE = "io.ordermesh.";

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    String name = "ordermesh " + command.getCommandName();
    if (isBadInput(e)) {
      command.getErr().println(name + ": " + describe(e));
      command.getErr().println("See '" + name + " --help'.");
      return command.getCommandSpec().exitCodeOnInvalidInput();
    }
    command.getErr().println(name + " failed: " + e);
    e.printStackTrace(command.getErr());
    return command.getCommandSpec().exitCodeOnExecutionException();
  }

  /** Refused by Ordermesh's own checks of its options, not thrown from deep inside a library. */
  private static boolean isBadInput(Exception e) {
    StackTraceElement[] trace = e.getStackTrace();
    boolean ours = trace.length > 0 && trace[0].getClassName().startsWith(OWN_CODE);
    return (e instanceof IllegalArgumentException && ours) || e instanceof NoSuchFileException;
  }

  private static String describe(Exception e) {
    return e instanceof NoSuchFileException missing ? "no such file: " + missing.getFile() : e.getMessage();
  }
}
