using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Ops;

public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_set_the_metrics_are_pushed_to_it()
    {
        // A stand-in collector: OTLP over HTTP/protobuf posts each export to /v1/metrics.
        var exported = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            // Protobuf keeps names as UTF-8: enough to see which instruments came.
            var text = Encoding.UTF8.GetString(body.ToArray());
            if (text.Contains("sockethub.requests", StringComparison.Ordinal))
            {
                exported.TrySetResult(text);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        await collector.StartAsync(TestContext.Current.CancellationToken);
        var endpoint = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        await using var server = await TestServer.StartAsync(
            $"OTEL_EXPORTER_OTLP_ENDPOINT={endpoint}", "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "OTEL_METRIC_EXPORT_INTERVAL=200");
        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync("GET%");
            await board.ReadRepliesAsync(1);
        }

        var text = await exported.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Contains("sockethub.connections.total", text, StringComparison.Ordinal);
        Assert.Contains("dotnet.process.cpu.count", text, StringComparison.Ordinal); // the runtime's meter too
        Assert.Contains("sockethub", text, StringComparison.Ordinal); // service.name
    }
}
