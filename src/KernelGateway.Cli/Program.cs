using System.CommandLine;
using KernelGateway.Cli;

return await Commands.RunAsync(args);

namespace KernelGateway.Cli
{
    /// <summary>
    /// The <c>kernelgateway</c> command line (System.CommandLine: help for every command, typed and validated options,
    /// <c>--version</c>, response files, shell completion through <c>[suggest]</c>). One file per command builds its
    /// <see cref="Command"/>. Exit codes: what the command returns; 2 for a usage error, with what was wrong.
    /// </summary>
    internal static class Commands
    {
        public static RootCommand Create() => new("KernelGateway: a Jupyter kernel for C#, a Jupyter Kernel Gateway-compatible server, and notebooks as jobs.")
        {
            ServeCommand.Create(),
            KernelCommand.Create(),
            KernelSpecCommands.Install(),
            KernelSpecCommands.Print(),
            Run.RunCommand.Create(),
            Run.SummarizeCommand.Create(),
            Schedule.ScheduleCommand.Create(),
            Schedule.RunsCommand.Create(),
        };

        public static async Task<int> RunAsync(string[] args)
        {
            var root = Create();
            if (args.Length == 0)
            {
                await root.Parse(["--help"]).InvokeAsync();
                return 2;
            }
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors) Console.Error.WriteLine($"kernelgateway: {error.Message}");
                Console.Error.WriteLine($"(see: kernelgateway {string.Join(' ', CommandPath(parse))} --help)".Replace("  ", " ", StringComparison.Ordinal));
                return 2;
            }
            try
            {
                return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (UsageException e)
            {
                return Fail(e.Message);
            }
        }

        /// <summary>Reports a usage error (bad arguments, a missing file) and returns exit code 2.</summary>
        public static int Fail(string message)
        {
            Console.Error.WriteLine($"kernelgateway: {message}");
            return 2;
        }

        private static IEnumerable<string> CommandPath(ParseResult parse)
        {
            var names = new List<string>();
            for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
                names.Insert(0, r.Command.Name);
            return names;
        }
    }

    /// <summary>Bad arguments a command found after parsing (a file that cannot be read, values that do not go together): exit code 2.</summary>
    internal sealed class UsageException(string message) : Exception(message);
}
