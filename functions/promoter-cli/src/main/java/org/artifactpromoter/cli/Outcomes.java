package org.artifactpromoter.cli;

import java.io.PrintWriter;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionFailure;
import picocli.CommandLine;

/** Exit codes and how failures are printed: a message on stderr, the error JSON with --json. */
final class Outcomes {
  static final int EXIT_OK = 0;
  static final int EXIT_INTERNAL = 1;
  static final int EXIT_INVALID = 2;
  static final int EXIT_REFUSED = 3;
  static final int EXIT_ACCESS_DENIED = 4;

  /** {@code verify}: a deployed function runs code other than the release at its drop key. */
  static final int EXIT_DRIFT = 5;

  /** {@code verify}: what a deployed function runs could not be compared (see its reason). */
  static final int EXIT_UNKNOWN = 6;

  private Outcomes() {}

  static int exitCode(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST -> EXIT_INVALID;
      case PROMOTION_NOT_ALLOWED,
          REVISION_NOT_FOUND,
          INTEGRITY_MISMATCH,
          CONFLICT,
          PROVENANCE_INVALID,
          APPROVAL_REQUIRED ->
          EXIT_REFUSED;
      case ACCESS_DENIED -> EXIT_ACCESS_DENIED;
      case INTERNAL -> EXIT_INTERNAL;
    };
  }

  /** Turns any exception out of a command into an exit code and a message a person can act on. */
  static final class ExceptionHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      PromotionException failure =
          ex instanceof PromotionException pe
              ? pe
              : new PromotionException(ErrorCode.INTERNAL, "Unexpected failure: " + ex, ex);
      PrintWriter err = commandLine.getErr();
      err.println("error: " + failure.code() + ": " + failure.getMessage());
      if (wantsJson(parseResult)) {
        commandLine.getOut().println(Json.writePretty(PromotionFailure.of(failure)));
        commandLine.getOut().flush();
      }
      err.flush();
      return exitCode(failure.code());
    }

    private static boolean wantsJson(CommandLine.ParseResult parseResult) {
      CommandLine.ParseResult leaf = parseResult;
      while (leaf.subcommand() != null) {
        leaf = leaf.subcommand();
      }
      return leaf.hasMatchedOption("--json");
    }
  }
}
