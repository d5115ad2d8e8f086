package org.artifactpromoter.cli;

import org.artifactpromoter.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code artifact-promoter}: the same code path as the Lambda, from a terminal or a build. */
@Command(
    name = "artifact-promoter",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Promote Lambda deployment packages between AWS accounts with their git revision.",
      "",
      "Honours the AWS SDK's standard settings: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL,"
          + " AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_STS, ... The promotion configuration comes"
          + " from --config FILE or the PROMOTION_CONFIG environment variable.",
      ""
    },
    footer = {
      "",
      // One line per group, each shorter than 80 columns: picocli would wrap a longer one
      // wherever the terminal ends.
      "Exit codes: 0 success, 2 invalid request or usage, 3 refused",
      "  (not allowed, revision not found, integrity mismatch, conflict),",
      "  4 access denied, 1 internal error; verify: 5 drift, 6 unknown."
    },
    subcommands = {
      PromoteCommand.class,
      PublishCommand.class,
      StatusCommand.class,
      HistoryCommand.class,
      VerifyCommand.class,
      InspectCommand.class,
      InvokeCommand.class,
      WarmUpCommand.class
    })
public final class ArtifactPromoterCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command (see --help).");
  }

  public static void main(String[] args) {
    LogFormat.configure();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests that run it in-process. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new ArtifactPromoterCli());
    commandLine.setExecutionExceptionHandler(new Outcomes.ExceptionHandler());
    commandLine.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          ex.getCommandLine()
              .getErr()
              .println(
                  "Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return Outcomes.EXIT_INVALID;
        });
    return commandLine;
  }
}
