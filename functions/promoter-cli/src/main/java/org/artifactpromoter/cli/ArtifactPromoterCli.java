package org.artifactpromoter.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
    })
public final class ArtifactPromoterCli implements Runnable {
  /**
   * The commands, in the order --help lists them. Added by hand rather than through
   * {@code @Command(subcommands)}: picocli reads every command's annotations by reflection when it
   * builds the model, and its own classes (compiled for Java 5) are verified anew in each JVM,
   * since no class-data archive can hold them; a run builds only the command it runs.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("promote", PromoteCommand::new);
    COMMANDS.put("publish", PublishCommand::new);
    COMMANDS.put("status", StatusCommand::new);
    COMMANDS.put("history", HistoryCommand::new);
    COMMANDS.put("verify", VerifyCommand::new);
    COMMANDS.put("inspect", InspectCommand::new);
    COMMANDS.put("invoke", InvokeCommand::new);
    COMMANDS.put("warm-up", WarmUpCommand::new);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command (see --help).");
  }

  public static void main(String[] args) {
    LogFormat.configure();
    SdkPreload.startFor(args.length > 0 && COMMANDS.containsKey(args[0]) ? args[0] : null);
    System.exit(commandLine(args).execute(args));
  }

  /** The configured command line with every command, for tests that run it in-process. */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for {@code args}: when the first argument names a command, only that command
   * is built (what it runs, its --help and its errors are the same); otherwise every command, for
   * the top-level help and the "did you mean" of a mistyped name.
   */
  static CommandLine commandLine(String[] arguments) {
    CommandLine commandLine = new CommandLine(new ArtifactPromoterCli());
    Supplier<Object> named = arguments.length > 0 ? COMMANDS.get(arguments[0]) : null;
    if (named != null) {
      commandLine.addSubcommand(named.get());
    } else {
      COMMANDS.values().forEach(command -> commandLine.addSubcommand(command.get()));
    }
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
