"""CreateModels: the operation the apps' squashed initial migrations wrap their CreateModel operations in.

A migration run renders its model state, and each CreateModel then re-renders every model related to the new one,
recursively. Every model of the project points at branches.Unit or the user, so that is every model created so far,
after each of the ~120 CreateModel operations: quadratic, most of a fresh `migrate` (and of the test database's
creation). CreateModels applies the same operations to the state with the rendered models set aside, then re-renders
what they touch once. In the database it creates each model as the end state has it — its fields, many-to-many
tables, indexes and constraints — the tables the operations one by one would leave.
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation


class CreateModels(Operation):
    """The operations of a fresh app's initial migration, applied as one: CreateModel, then AddField, AddIndex and
    AddConstraint on the models just created (which `makemigrations` splits off; their columns, tables, indexes and
    constraints come with the models' CREATE TABLE here)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations):
        created = {op.name_lower for op in operations if isinstance(op, migrations.CreateModel)}
        for op in operations:
            if isinstance(op, migrations.CreateModel):
                continue
            if not isinstance(op, migrations.AddField | migrations.AddIndex | migrations.AddConstraint):
                raise TypeError(f"CreateModels takes CreateModel, AddField, AddIndex, AddConstraint, not {op!r}")
            if op.model_name_lower not in created:
                raise ValueError(f"{op!r} is on a model CreateModels does not create")
        self.operations = list(operations)
        super().__init__()

    def deconstruct(self):
        return self.__class__.__qualname__, [self.operations], {}

    @property
    def created(self):
        return [op.name for op in self.operations if isinstance(op, migrations.CreateModel)]

    def state_forwards(self, app_label, state):
        rendered = state.__dict__.pop("apps", None)  # ProjectState.apps is a cached_property
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            if rendered is not None:
                state.__dict__["apps"] = rendered
        state.reload_models([(app_label, name.lower()) for name in self.created], delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for name in self.created:
            model = to_state.apps.get_model(app_label, name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.create_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for name in reversed(self.created):
            model = from_state.apps.get_model(app_label, name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.delete_model(model)

    def describe(self):
        return f"Create {len(self.created)} models: {', '.join(self.created)}"

    @property
    def migration_name_fragment(self):
        return "initial"

    def references_model(self, name, app_label):
        return any(op.references_model(name, app_label) for op in self.operations)
