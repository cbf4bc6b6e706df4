using System.Net;
using Microsoft.AspNetCore.Connections;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Wraps Kestrel's socket transport so that every listener, the ops port's included, accepts
/// only while the <see cref="AcceptCeiling"/> has room (see there why).
/// </summary>
internal sealed class CeilingListenerFactory(IConnectionListenerFactory sockets, AcceptCeiling ceiling, ILogger<CeilingListenerFactory> logger)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new CeilingListener(await sockets.BindAsync(endpoint, cancellationToken), ceiling, logger);

    public bool CanBind(EndPoint endpoint) => sockets is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);

    private sealed class CeilingListener(IConnectionListener inner, AcceptCeiling ceiling, ILogger logger) : IConnectionListener
    {
        // Kestrel passes no token to AcceptAsync; unbinding must still end a wait for a place,
        // or the server's stop would wait for a client to leave.
        private readonly CancellationTokenSource _unbound = new();

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            // The place is taken after the accept, not before: a listener waiting for its next
            // client must not hold one, or the idle listeners would hold places between them.
            // So at most one socket per listener waits beyond the ceiling.
            var connection = await inner.AcceptAsync(cancellationToken);
            if (connection is null)
            {
                return null;
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
            try
            {
                if (await ceiling.TakeAsync(either.Token))
                {
                    HostingLog.AcceptPaused(logger, ceiling.Limit, EndPoint);
                }
            }
            catch (OperationCanceledException)
            {
                await connection.DisposeAsync();
                if (_unbound.IsCancellationRequested)
                {
                    return null; // the listener is stopping: the end of the accept loop
                }

                throw;
            }

            return new CeilingConnection(connection, ceiling);
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await _unbound.CancelAsync();
            await inner.UnbindAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            _unbound.Dispose();
        }
    }
}
