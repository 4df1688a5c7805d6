# The audit log is append-only in the database too (PostgreSQL only; on
# SQLite this is a no-op and the model's refusals are the guard).
#
# A BEFORE UPDATE OR DELETE trigger refuses any change to core_auditevent,
# whoever issues it (the ORM, raw SQL, a cascade, psql). The one exception
# is core.services.audit_events_purge_before, the audited 保存年限 purge: it
# sets the transaction-local koe.audit_purge = 'on' and deletes.
# TRUNCATE is not refused (the test runner flushes tables with it); the
# application never truncates.

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('koe.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '監査ログは変更・削除できません（%）', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No parameters, so the "%" of RAISE is not read as a placeholder.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_actor_kept")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
