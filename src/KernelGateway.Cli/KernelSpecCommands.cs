using System.CommandLine;
using KernelGateway.Kernel.KernelSpecs;

namespace KernelGateway.Cli;

/// <summary><c>kernelgateway install</c> and <c>kernelgateway kernelspec</c>: the C# kernel's kernelspec.</summary>
internal static class KernelSpecCommands
{
    public static Command Install()
    {
        var user = new Option<bool>("--user") { Description = "In the user's Jupyter data directory (the default)" };
        var sysPrefix = new Option<bool>("--sys-prefix") { Description = "Under the Python prefix (sys.prefix)" };
        var system = new Option<bool>("--system") { Description = "In the system-wide Jupyter data directory" };
        var prefix = new Option<string>("--prefix") { Description = "Under PREFIX/share/jupyter/kernels", HelpName = "P" };
        var name = new Option<string>("--name") { Description = "The kernelspec's name", DefaultValueFactory = _ => KernelSpecInstaller.DefaultName };
        var display = new Option<string>("--display-name") { Description = "The name frontends show", DefaultValueFactory = _ => KernelSpecInstaller.DefaultDisplayName };
        var command = new Command("install", "Install the C# kernel's kernelspec (default: --user, name .net-csharp)") { user, sysPrefix, system, prefix, name, display };
        command.SetAction(parse =>
        {
            var scope = parse.GetValue(sysPrefix) ? InstallScope.SysPrefix
                : parse.GetValue(prefix) is not null ? InstallScope.Prefix
                : parse.GetValue(system) ? InstallScope.System
                : InstallScope.User;
            string dir;
            try
            {
                dir = KernelSpecInstaller.Install(scope, parse.GetValue(prefix), parse.GetValue(name)!, parse.GetValue(display)!);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"kernelgateway install: {e.Message}");
                return 1;
            }
            Console.Out.WriteLine($"Installed kernelspec {Path.GetFileName(dir)} in {dir}");
            return 0;
        });
        return command;
    }

    public static Command Print()
    {
        var command = new Command("kernelspec", "Print the kernel.json this build would install");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine(KernelSpecInstaller.KernelJson(KernelSpecInstaller.DefaultDisplayName, KernelSpecInstaller.KernelArgv())
                .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }
}
