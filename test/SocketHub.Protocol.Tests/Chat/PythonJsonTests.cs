using System.Text.Json;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Tests.Board;
using Xunit;

namespace SocketHub.Protocol.Tests.Chat;

/// <summary>The JSON port writes what Python's <c>json.dumps</c> writes, byte for byte.</summary>
public sealed class PythonJsonTests
{
    [Fact]
    public void Strings_are_escaped_as_json_dumps_escapes_them()
    {
        const string script = "import json, sys\nfor s in json.load(sys.stdin): print(json.dumps({'k': s, 'l': [s, 5]}))";
        string[] strings = [.. PythonReprTests.NastyStrings, "\u007f\u0080", "\b\f", "😀"];
        var expected = PythonReprTests.RunPython(script, JsonSerializer.Serialize(strings)).ReplaceLineEndings("\n");
        var ours = string.Concat(strings.Select(s =>
            new PythonJson().StartObject().Member("k", s).Name("l").StartArray().StringValue(s).NumberValue(5).EndArray().EndObject() + "\n"));
        Assert.Equal(expected, ours);
        Assert.All(strings, s => Assert.Equal(new PythonJson().StringValue(s).Length, PythonJson.StringLength(s)));
    }
}
