using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SocketHub.Server.Data;

namespace SocketHub.Server.Board;

/// <summary>
/// Inserts a batch of board posts with multi-row <c>INSERT ... VALUES (...), (...) RETURNING</c>
/// statements on the context's own connection and transaction: one statement per
/// <see cref="RowsPerStatement"/> rows instead of EF's change tracking and one statement per row,
/// which took most of the writer's CPU. Plain SQL with named parameters that SQLite (3.35 and
/// later) and PostgreSQL both take; names are quoted and values bound by the context's provider
/// (its SQL helper and type mappings), so each column is stored exactly as EF would store it.
/// It keeps one command per row count on its connection: SQLite compiles a command's statement on
/// its first run and reuses it while the command and connection live, so each size is parsed once.
/// Used by one writer at a time, never concurrently; disposing it disposes the commands.
/// </summary>
internal sealed class BoardInsert : IAsyncDisposable
{
    /// <summary>Rows per statement: 3 parameters a row stays far below every provider's limit.</summary>
    public const int RowsPerStatement = 64;

    private readonly string _table;
    private readonly string _columns;
    private readonly string _returning;
    private readonly RelationalTypeMapping _textMapping;
    private readonly RelationalTypeMapping _postedAtMapping;
    private readonly RelationalTypeMapping _posterMapping;
    private readonly DbConnection _connection;
    private readonly DbCommand?[] _commands = new DbCommand?[RowsPerStatement + 1];

    // The parameter names of each row, made once.
    private static readonly (string Text, string PostedAt, string Poster)[] Names =
        Enumerable.Range(0, RowsPerStatement).Select(row => ($"@t{row}", $"@a{row}", $"@p{row}")).ToArray();

    /// <param name="db">The context whose model, names and value mappings are used.</param>
    /// <param name="connection">The open connection the statements run on (the context's own).</param>
    public BoardInsert(SocketHubDb db, DbConnection connection)
    {
        _connection = connection;
        var entity = db.Model.FindEntityType(typeof(BoardMessage))!;
        var names = db.GetService<ISqlGenerationHelper>();
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => names.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        RelationalTypeMapping Mapping(string property) => mappings.FindMapping(entity.FindProperty(property)!)!;

        _table = names.DelimitIdentifier(table.Name, table.Schema);
        _columns = $"{Column(nameof(BoardMessage.Text))}, {Column(nameof(BoardMessage.PostedAt))}, {Column(nameof(BoardMessage.Poster))}";
        _returning = Column(nameof(BoardMessage.Id));
        _textMapping = Mapping(nameof(BoardMessage.Text));
        _postedAtMapping = Mapping(nameof(BoardMessage.PostedAt));
        _posterMapping = Mapping(nameof(BoardMessage.Poster));
    }

    /// <summary>
    /// Inserts <paramref name="batch"/> in <paramref name="transaction"/> and returns each post's
    /// id, in the batch's order.
    /// </summary>
    public async Task<long[]> InsertAsync(DbTransaction transaction, IReadOnlyList<BoardMessage> batch)
    {
        var ids = new long[batch.Count];
        for (var first = 0; first < batch.Count; first += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, batch.Count - first);
            var command = _commands[rows] ??= Command(rows);
            command.Transaction = transaction;
            command.Parameters.Clear();
            for (var row = 0; row < rows; row++)
            {
                var message = batch[first + row];
                var names = Names[row];
                command.Parameters.Add(_textMapping.CreateParameter(command, names.Text, message.Text, nullable: false));
                command.Parameters.Add(_postedAtMapping.CreateParameter(command, names.PostedAt, message.PostedAt, nullable: false));
                command.Parameters.Add(_posterMapping.CreateParameter(command, names.Poster, message.Poster, nullable: true));
            }

            var read = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    if (read == rows)
                    {
                        throw new InvalidOperationException($"The insert of {rows} posts returned more ids.");
                    }

                    ids[first + read++] = reader.GetInt64(0);
                }
            }

            if (read != rows)
            {
                throw new InvalidOperationException($"The insert of {rows} posts returned {read} ids.");
            }

            // Neither SQLite nor PostgreSQL promises RETURNING's row order, but both number the
            // rows of one statement in VALUES order (one writer, ascending keys): the smallest id
            // is the first row's.
            Array.Sort(ids, first, rows);
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands)
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    private DbCommand Command(int rows)
    {
        var command = _connection.CreateCommand();
        command.CommandText = Sql(rows);
        return command;
    }

    private string Sql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {_table} ({_columns}) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            var names = Names[row];
            sql.Append(row == 0 ? "(" : ", (").Append(names.Text).Append(", ").Append(names.PostedAt).Append(", ").Append(names.Poster).Append(')');
        }

        return sql.Append($" RETURNING {_returning}").ToString();
    }
}
