using System.Globalization;
using Microsoft.Data.Sqlite;
using SocketHub.Server.Data;

namespace SocketHub.FaultTests;

/// <summary>Reads the server's SQLite file directly, read-only, as an operator with the sqlite3 shell would.</summary>
public static class StoredData
{
    public static string IntegrityCheck(string dataDirectory) =>
        Convert.ToString(Query(dataDirectory, "PRAGMA integrity_check;").Single()[0], CultureInfo.InvariantCulture) ?? "(null)";

    public static List<string> TableNames(string dataDirectory) =>
        Query(dataDirectory, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;").Select(r => (string)r[0]).ToList();

    public static List<object[]> Query(string dataDirectory, string sql)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, DatabaseSetup.FileName),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
