"""The Flask extensions, created unbound here and bound in :func:`app.create_app`."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from app.database import Base, include_in_migrations, render_migration_item

db = SQLAlchemy(model_class=Base)
migrate = Migrate(
    compare_type=True,
    render_as_batch=True,
    render_item=render_migration_item,
    include_name=include_in_migrations,
)
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
talisman = Talisman()

#: No inline scripts or styles anywhere: every asset is a file served by the app itself.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    # The QR reader decodes in a worker it builds from a blob (qr-scanner); workers only.
    "worker-src": ["'self'", "blob:"],
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
