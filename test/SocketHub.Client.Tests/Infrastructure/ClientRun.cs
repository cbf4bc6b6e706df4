using Xunit;
using SocketHub.Client;

namespace SocketHub.Client.Tests.Infrastructure;

/// <summary>One run of the client's entry point in this process, with its output and exit code.</summary>
public sealed record ClientRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs <c>sockethub args...</c> with <paramref name="stdin"/> as standard input.</summary>
    public static async Task<ClientRun> RunWithInputAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        using var input = new StringReader(stdin);
        var code = await ClientApp.RunAsync(args, input, output, error, TestContext.Current.CancellationToken);
        return new ClientRun(code, output.ToString(), error.ToString());
    }

    public static Task<ClientRun> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    /// <summary>The output's lines, trailing empty line removed.</summary>
    public string[] Lines => Out.TrimEnd('\n').Split('\n');
}
