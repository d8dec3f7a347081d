using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KernelGateway.Tests;

/// <summary>
/// Whether a process runs, and its exit as an event, also for a process the tests did not start (a kernel
/// launched by a server or a shell): Linux's pidfd becomes readable when the process exits.
/// </summary>
public static class ProcessWatch
{
    private const int PidfdOpen = 434; // the same number on every Linux architecture
    private const int EfdCloexec = 0x80000;
    private const short PollIn = 1;
    private const int Esrch = 3;
    private const int Eintr = 4;

    /// <summary>Whether a process with this id runs.</summary>
    public static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }

    /// <summary>Completes when process <paramref name="pid"/> has exited (at once if there is none); throws when <paramref name="cancellationToken"/> ends the wait first.</summary>
    public static async Task ExitedAsync(int pid, CancellationToken cancellationToken)
    {
        var pidfd = (int)syscall(PidfdOpen, pid, 0);
        if (pidfd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Esrch) return;
            throw new Win32Exception(errno, $"pidfd_open({pid})");
        }
        using var process = new Microsoft.Win32.SafeHandles.SafeFileHandle(pidfd, ownsHandle: true);
        var wakeup = eventfd(0, EfdCloexec);
        if (wakeup < 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "eventfd");
        using var cancel = new Microsoft.Win32.SafeHandles.SafeFileHandle(wakeup, ownsHandle: true);
        await using (cancellationToken.Register(() => { ulong one = 1; write(wakeup, ref one, sizeof(ulong)); }))
        {
            await Task.Factory.StartNew(() => WaitReadable(pidfd, wakeup), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Blocks until either descriptor is readable: the process exited, or the wait was cancelled.</summary>
    private static void WaitReadable(int pidfd, int wakeup)
    {
        var fds = new PollFd[] { new() { Fd = pidfd, Events = PollIn }, new() { Fd = wakeup, Events = PollIn } };
        while (poll(fds, (nuint)fds.Length, -1) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr) throw new Win32Exception(errno, "poll");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, int pid, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int eventfd(uint initval, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, ref ulong value, nuint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll([In, Out] PollFd[] fds, nuint nfds, int timeout);
}
