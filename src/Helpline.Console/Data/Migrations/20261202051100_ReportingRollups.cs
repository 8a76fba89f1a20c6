using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <summary>
    /// The call rollup (<c>call_quarters</c>, see Reporting/ReportingTables.cs): a trigger on <c>contact_facts</c>
    /// takes away each changed row's old contribution and adds its new one, in the same transaction as the
    /// event that changed it; then the first fill from the facts.
    /// </summary>
    public partial class ReportingRollups : Migration
    {
        private static readonly string InstallSql = $"""
CREATE FUNCTION console.reporting_add_call(f console.contact_facts, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  talk float8 := {Helpline.Console.Reporting.CallQuarterRollup.TalkSql};
BEGIN
  IF f.channel IS DISTINCT FROM 'Call' OR f.received_at IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO console.call_quarters AS q ({Helpline.Console.Reporting.CallQuarterRollup.Columns})
  VALUES ({Helpline.Console.Reporting.CallQuarterRollup.Contribution})
  ON CONFLICT (quarter_start) DO UPDATE SET
    {string.Join(", ", Helpline.Console.Reporting.CallQuarterRollup.Columns.Split(',', StringSplitOptions.TrimEntries).Skip(1).Select(c => $"{c} = q.{c} + excluded.{c}"))};
END $$;

CREATE FUNCTION console.reporting_contact_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM console.reporting_add_call(OLD, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM console.reporting_add_call(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER reporting_call_quarters AFTER INSERT OR UPDATE OR DELETE ON console.contact_facts
FOR EACH ROW EXECUTE FUNCTION console.reporting_contact_facts_changed();

{Helpline.Console.Reporting.CallQuarterRollup.RebuildSql};
""";

        private const string UninstallSql = """
DROP TRIGGER reporting_call_quarters ON console.contact_facts;
DROP FUNCTION console.reporting_contact_facts_changed();
DROP FUNCTION console.reporting_add_call(console.contact_facts, integer);
""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "wait_seconds",
                schema: "console",
                table: "contact_facts",
                type: "double precision",
                nullable: true,
                computedColumnSql: "CASE (CASE\n  WHEN answered_at IS NOT NULL OR (outcome = 'Completed' AND hung_up_at IS NULL) THEN 'answered'\n  WHEN outcome = 'OutOfHours' THEN 'out_of_hours'\n  WHEN outcome = 'NoAdvisors' THEN 'no_advisors'\n  WHEN outcome = 'Overflow' THEN 'overflow'\n  WHEN outcome = 'Abandoned' OR hung_up_at IS NOT NULL THEN CASE WHEN short_abandon THEN 'short_abandon' ELSE 'abandoned' END\n  ELSE 'open'\nEND)\n  WHEN 'answered' THEN coalesce(CASE WHEN outcome = 'Completed' THEN end_wait_seconds END, assigned_wait_seconds)\n  WHEN 'abandoned' THEN coalesce(CASE WHEN outcome = 'Abandoned' THEN end_wait_seconds END, extract(epoch FROM hung_up_at - received_at)::float8)\n  WHEN 'short_abandon' THEN coalesce(CASE WHEN outcome = 'Abandoned' THEN end_wait_seconds END, extract(epoch FROM hung_up_at - received_at)::float8)\n  WHEN 'overflow' THEN end_wait_seconds\nEND",
                stored: true);

            migrationBuilder.CreateTable(
                name: "call_quarters",
                schema: "console",
                columns: table => new
                {
                    quarter_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received = table.Column<long>(type: "bigint", nullable: false),
                    out_of_hours = table.Column<long>(type: "bigint", nullable: false),
                    no_advisors = table.Column<long>(type: "bigint", nullable: false),
                    abandoned = table.Column<long>(type: "bigint", nullable: false),
                    short_abandon = table.Column<long>(type: "bigint", nullable: false),
                    overflow = table.Column<long>(type: "bigint", nullable: false),
                    offered = table.Column<long>(type: "bigint", nullable: false),
                    answered = table.Column<long>(type: "bigint", nullable: false),
                    still_open = table.Column<long>(type: "bigint", nullable: false),
                    callbacks = table.Column<long>(type: "bigint", nullable: false),
                    withheld = table.Column<long>(type: "bigint", nullable: false),
                    withheld_unanswered = table.Column<long>(type: "bigint", nullable: false),
                    known_calls = table.Column<long>(type: "bigint", nullable: false),
                    answered_waits = table.Column<long>(type: "bigint", nullable: false),
                    answered_wait_microseconds = table.Column<long>(type: "bigint", nullable: false),
                    handled = table.Column<long>(type: "bigint", nullable: false),
                    handle_microseconds = table.Column<long>(type: "bigint", nullable: false),
                    waited_microseconds = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_quarters", x => x.quarter_start);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contact_facts_calls",
                schema: "console",
                table: "contact_facts",
                column: "received_at",
                filter: "channel = 'Call'")
                .Annotation("Npgsql:IndexInclude", new[] { "caller_key", "disposition", "wait_seconds" });

            migrationBuilder.Sql(InstallSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(UninstallSql);

            migrationBuilder.DropTable(
                name: "call_quarters",
                schema: "console");

            migrationBuilder.DropIndex(
                name: "ix_contact_facts_calls",
                schema: "console",
                table: "contact_facts");

            migrationBuilder.DropColumn(
                name: "wait_seconds",
                schema: "console",
                table: "contact_facts");
        }
    }
}
