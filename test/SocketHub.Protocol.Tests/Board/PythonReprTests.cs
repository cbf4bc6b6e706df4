using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SocketHub.Protocol.Board;
using Xunit;

namespace SocketHub.Protocol.Tests.Board;

public sealed class PythonReprTests
{
    private static string Repr(string text)
    {
        var sb = new StringBuilder();
        PythonRepr.AppendString(sb, text);
        return sb.ToString();
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("hello", "'hello'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("it's \"x\"", "'it\\'s \"x\"'")]
    public void ChoosesQuotesLikePython(string text, string expected)
    {
        Assert.Equal(expected, Repr(text));
    }

    [Theory]
    [InlineData("a\\b", "'a\\\\b'")]
    [InlineData("\\", "'\\\\'")]
    [InlineData("\\'", "\"\\\\'\"")]
    public void EscapesBackslashes(string text, string expected)
    {
        Assert.Equal(expected, Repr(text));
    }

    [Theory]
    [InlineData("a\tb", "'a\\tb'")]
    [InlineData("a\nb", "'a\\nb'")]
    [InlineData("a\rb", "'a\\rb'")]
    [InlineData("\r\n", "'\\r\\n'")]
    public void UsesShortEscapesForTabAndLineBreaks(string text, string expected)
    {
        Assert.Equal(expected, Repr(text));
    }

    [Theory]
    [InlineData("\0", "'\\x00'")]
    [InlineData("\u001b[0m", "'\\x1b[0m'")]
    [InlineData("\u007f", "'\\x7f'")]
    [InlineData("\u000b\u000c", "'\\x0b\\x0c'")]
    public void EscapesOtherAsciiControlCharacters(string text, string expected)
    {
        Assert.Equal(expected, Repr(text));
    }

    [Theory]
    [InlineData("\u0085", "'\\x85'")]
    [InlineData("a\u00a0b", "'a\\xa0b'")]
    [InlineData("\u00ad", "'\\xad'")]
    [InlineData("\u200b", "'\\u200b'")]
    [InlineData("\u2028", "'\\u2028'")]
    [InlineData("\u2029", "'\\u2029'")]
    [InlineData("\u3000", "'\\u3000'")]
    [InlineData("\ufeff", "'\\ufeff'")]
    [InlineData("\ue000", "'\\ue000'")]
    public void EscapesNonPrintableNonAsciiCharacters(string text, string expected)
    {
        Assert.Equal(expected, Repr(text));
    }

    [Theory]
    [InlineData("café", "'café'")]
    [InlineData("日本", "'日本'")]
    [InlineData("Ωμέγα", "'Ωμέγα'")]
    [InlineData("😀", "'😀'")]
    [InlineData("a😀b👍🏽", "'a😀b👍🏽'")]
    public void KeepsPrintableNonAsciiCharactersAsTheyAre(string text, string expected)
    {
        Assert.Equal(expected, Repr(text));
    }

    [Fact]
    public void EscapesNonPrintableAstralCharacterAsOneCodePoint()
    {
        Assert.Equal("'\\U000e0001'", Repr("\U000E0001"));
        Assert.Equal("'\\U000f0000'", Repr("\U000F0000"));
    }

    [Fact]
    public void EscapesLoneSurrogates()
    {
        Assert.Equal("'\\ud800'", Repr("\ud800"));
        Assert.Equal("'a\\udc00b'", Repr("a\udc00b"));
        Assert.Equal("'\\udbff'", Repr("\udbff"));
    }

    [Fact]
    public void AppendsToExistingContent()
    {
        var sb = new StringBuilder("x=");
        PythonRepr.AppendString(sb, "y");
        Assert.Equal("x='y'", sb.ToString());
    }

    [Fact]
    public void FormatsEmptyList()
    {
        Assert.Equal("[]", PythonRepr.FormatMessageList([]));
    }

    [Fact]
    public void FormatsSingleMessage()
    {
        Assert.Equal("[(1, 'Server has Started')]", PythonRepr.FormatMessageList([(1, "Server has Started")]));
    }

    [Fact]
    public void FormatsMessageList()
    {
        string actual = PythonRepr.FormatMessageList([(1, "Server has Started"), (2, "hi"), (-3, "it's"), (long.MaxValue, "")]);

        Assert.Equal("[(1, 'Server has Started'), (2, 'hi'), (-3, \"it's\"), (9223372036854775807, '')]", actual);
    }

    // Strings must only use code points assigned in every Unicode version a CI python3 may ship,
    // and no lone surrogates, which JSON cannot carry.
    internal static readonly string[] NastyStrings =
    [
        "",
        "Server has Started",
        "it's",
        "say \"hi\"",
        "it's \"both\"",
        "'",
        "\"",
        "'\"",
        "\\",
        "\\'",
        "\\\"",
        "back\\slash\\\\n",
        "tab\there\nnew\rline\r\n",
        "\0\u0001\u0007\u0008\u000b\u000c\u001b\u001f\u007f",
        "\u0080\u0085\u009f\u00a0\u00ad\u00ff",
        "café naïve ß Ωμέγα",
        "日本語テキスト",
        "\u200b\u200c\u200d\u200e\u2028\u2029\u2060\u3000\ufeff",
        "\u0100\u0600\u061c\ue000\uf8ff\ufffd\uffff",
        "😀👍🏽👨‍👩‍👧",
        "\U000e0001\U000e007f\U000f0000\U0010fffd",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "mixed 'q' \"Q\" \\ \t \u0085 é 😀 \U000e0001 end",
        "{}[](),:%s%d{0}",
        "'''\"\"\"",
    ];

    private const string RoundTripScript = """
        import ast, json, sys
        data = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        items = [(m[0], m[1]) for m in data["messages"]]
        parsed = ast.literal_eval(data["repr"])
        print(json.dumps({
            "parsed": [[i, t] for (i, t) in parsed],
            "tuples": all(type(m) is tuple and len(m) == 2 for m in parsed),
            "repr": repr(items),
        }))
        """;

    [Fact]
    public void PythonParsesOurOutputAndWritesTheSameRepr()
    {
        (long Id, string Text)[] messages = NastyStrings.Select((text, i) => ((long)i + 1, text)).ToArray();
        string ours = PythonRepr.FormatMessageList(messages);

        string input = JsonSerializer.Serialize(new
        {
            messages = messages.Select(m => new object[] { m.Id, m.Text }),
            repr = ours,
        });
        using JsonDocument result = JsonDocument.Parse(RunPython(RoundTripScript, input));
        JsonElement root = result.RootElement;

        Assert.True(root.GetProperty("tuples").GetBoolean(), "Python did not parse a list of 2-tuples.");
        (long, string)[] parsed = root.GetProperty("parsed").EnumerateArray()
            .Select(pair => (pair[0].GetInt64(), pair[1].GetString()!))
            .ToArray();
        Assert.Equal(messages, parsed);
        Assert.Equal(root.GetProperty("repr").GetString(), ours);
    }

    [Fact]
    public void PythonWritesTheSameReprForEachStringAlone()
    {
        const string script = """
            import json, sys
            texts = json.loads(sys.stdin.buffer.read().decode("utf-8"))
            print(json.dumps([repr(t) for t in texts]))
            """;

        using JsonDocument result = JsonDocument.Parse(RunPython(script, JsonSerializer.Serialize(NastyStrings)));
        string[] expected = result.RootElement.EnumerateArray().Select(e => e.GetString()!).ToArray();

        Assert.Equal(expected, NastyStrings.Select(Repr).ToArray());
    }

    // Both directions carry JSON with the default ASCII escaping, so the console encoding of the
    // machine cannot corrupt the strings under test.
    internal static string RunPython(string script, string stdin)
    {
        var startInfo = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);

        Process process;
        try
        {
            process = Process.Start(startInfo)
                ?? throw new InvalidOperationException("Process.Start returned null for python3.");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"python3 was not found on PATH; this test needs Python 3 to check the repr output ({ex.Message}).");
            throw;
        }

        using (process)
        {
            CancellationToken cancellationToken = TestContext.Current.CancellationToken;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();

            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("python3 did not finish within 30 seconds.");
            }

            string output = stdout.GetAwaiter().GetResult();
            string errors = stderr.GetAwaiter().GetResult();
            Assert.True(process.ExitCode == 0, $"python3 exited with {process.ExitCode}: {errors}");
            return output;
        }
    }
}
