using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportingEmailIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_email_activity_at",
                schema: "console",
                table: "email_activity",
                column: "at")
                .Annotation("Npgsql:IndexInclude", new[] { "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_contact_facts_email_replies",
                schema: "console",
                table: "contact_facts",
                column: "received_at",
                filter: "channel = 'Email' AND first_reply_open_seconds IS NOT NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "first_reply_open_seconds" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_email_activity_at",
                schema: "console",
                table: "email_activity");

            migrationBuilder.DropIndex(
                name: "ix_contact_facts_email_replies",
                schema: "console",
                table: "contact_facts");
        }
    }
}
