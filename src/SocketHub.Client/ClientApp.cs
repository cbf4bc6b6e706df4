using System.CommandLine;
using SocketHub.Client.Board;
using SocketHub.Client.Chat;
using SocketHub.Client.Crypto;
using SocketHub.Client.History;
using SocketHub.Client.Load;

namespace SocketHub.Client;

/// <summary>The client's entry point, callable in-process (tests pass their own pipes and token).</summary>
public static class ClientApp
{
    public static RootCommand CreateRootCommand(ClientIo io)
    {
        var root = new RootCommand("sockethub: talk to every SocketHub dialect from the command line, and generate load.");
        root.Subcommands.Add(BoardCommands.Create(io));
        root.Subcommands.Add(HistoryCommands.Create(io));
        root.Subcommands.Add(CryptoCommands.Create(io));
        root.Subcommands.Add(ChatCommandLine.Create(io));
        root.Subcommands.Add(LoadCommand.Create(io));
        foreach (var option in CommonOptions.TlsOptions())
        {
            root.Options.Add(option);
        }

        return root;
    }

    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken ct = default) =>
        RunAsync(args, new ClientIo(stdin, stdout, stderr), handleCtrlC: false, ct);

    /// <summary>
    /// Parses and runs one command line. Exit codes: 0 success, 2 usage, 3 cannot connect,
    /// 4 the server refused or answered an error, 1 anything else; failures print one line on stderr.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, ClientIo io, bool handleCtrlC = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        var root = CreateRootCommand(io);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await io.Error.WriteLineAsync($"sockethub: {error.Message}");
            }

            await io.Error.WriteLineAsync("Run 'sockethub --help' (or '<command> --help') for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C cancels the action's token (board watch, chat, load stop cleanly); tests cancel themselves.
            ProcessTerminationTimeout = handleCtrlC ? TimeSpan.FromSeconds(5) : null,
        };
        try
        {
            return await result.InvokeAsync(configuration, ct);
        }
        catch (ClientException e)
        {
            await io.Error.WriteLineAsync($"sockethub: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await io.Error.WriteLineAsync("sockethub: cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await io.Error.WriteLineAsync($"sockethub: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await io.Out.FlushAsync(CancellationToken.None);
        }
    }
}
