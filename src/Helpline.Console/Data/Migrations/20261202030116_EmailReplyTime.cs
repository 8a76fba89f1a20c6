using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <summary>The first reply's open time (<c>contact_facts.first_reply_open_seconds</c>), kept by its own trigger.</summary>
    public partial class EmailReplyTime : Migration
    {
        /// <summary>
        /// A ReplySent at or before the conversation's first reply sets the figure. Whichever order this and
        /// <c>reporting_contact_events</c> fire in, <c>first_reply_at</c> is then this event's time (or still
        /// null), so the figure belongs to the earliest reply however late the events arrive.
        /// </summary>
        private const string InstallSql = """
CREATE FUNCTION console.reporting_reply_open_time() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE console.contact_facts SET first_reply_open_seconds = NEW.wait_seconds
  WHERE contact_id = NEW.contact_id AND (first_reply_at IS NULL OR NEW.at <= first_reply_at);
  RETURN NULL;
END $$;

CREATE TRIGGER reporting_reply_open_time AFTER INSERT ON console.contact_events
FOR EACH ROW WHEN (NEW.type = 'ReplySent') EXECUTE FUNCTION console.reporting_reply_open_time();

UPDATE console.contact_facts f SET first_reply_open_seconds = (
  SELECT e.wait_seconds FROM console.contact_events e
  WHERE e.contact_id = f.contact_id AND e.type = 'ReplySent'
  ORDER BY e.at, e.id DESC LIMIT 1)
WHERE f.first_reply_at IS NOT NULL;
""";

        private const string UninstallSql = """
DROP TRIGGER reporting_reply_open_time ON console.contact_events;
DROP FUNCTION console.reporting_reply_open_time();
""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "first_reply_open_seconds",
                schema: "console",
                table: "contact_facts",
                type: "double precision",
                nullable: true);

            migrationBuilder.Sql(InstallSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(UninstallSql);

            migrationBuilder.DropColumn(
                name: "first_reply_open_seconds",
                schema: "console",
                table: "contact_facts");
        }
    }
}
