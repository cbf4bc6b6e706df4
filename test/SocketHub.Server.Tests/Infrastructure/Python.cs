using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Xunit;

namespace SocketHub.Server.Tests.Infrastructure;

/// <summary>Runs a python3 script, as a student's client would run, for interoperability checks.</summary>
public static class Python
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> in sys.argv[1:]; returns its stdout.</summary>
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null for python3.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"python3 was not found on PATH; this test needs Python 3 with the cryptography package ({e.Message}).");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(Deadline);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"python3 did not finish within {Deadline}.");
            }

            var output = await stdout;
            var errors = await stderr;
            Assert.True(process.ExitCode == 0, $"python3 exited with {process.ExitCode}: {errors}");
            return output;
        }
    }
}
