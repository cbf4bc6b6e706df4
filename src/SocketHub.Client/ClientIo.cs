using Spectre.Console;

namespace SocketHub.Client;

/// <summary>
/// Where the client reads and writes: the real console, or test pipes. <see cref="Console"/>
/// (Spectre) writes to <see cref="Out"/>.
/// </summary>
public sealed class ClientIo
{
    public ClientIo(TextReader input, TextWriter output, TextWriter error, bool interactive = false, bool outputIsTerminal = false)
    {
        In = input;
        Out = output;
        Error = error;
        Interactive = interactive;
        OutputIsTerminal = outputIsTerminal;
        Console = interactive || outputIsTerminal
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) })
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
        if (!outputIsTerminal)
        {
            Console.Profile.Width = 200; // not a terminal: do not wrap tables at 80 columns
        }
    }

    public TextReader In { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Standard input is a keyboard (not redirected): passwords are read without echo.</summary>
    public bool Interactive { get; }

    /// <summary>Standard output is a terminal: live progress is drawn in place.</summary>
    public bool OutputIsTerminal { get; }

    public IAnsiConsole Console { get; }

    /// <summary>The real console of this process.</summary>
    public static ClientIo FromConsole() => new(
        System.Console.In,
        System.Console.Out,
        System.Console.Error,
        interactive: !System.Console.IsInputRedirected,
        outputIsTerminal: !System.Console.IsOutputRedirected);

    /// <summary>Reads a line of input; with <see cref="Interactive"/> and <paramref name="secret"/>, without echo.</summary>
    public async Task<string?> ReadLineAsync(bool secret, CancellationToken ct)
    {
        if (secret && Interactive)
        {
            return await Task.Run(() => ReadSecret(), ct).WaitAsync(ct);
        }

        return await In.ReadLineAsync(ct);
    }

    private string ReadSecret()
    {
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = System.Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Out.WriteLine();
                return chars.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Length > 0)
                {
                    chars.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Append(key.KeyChar);
            }
        }
    }
}
