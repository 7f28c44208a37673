# davshare in a container: SQLite in the /data volume by default, or PostgreSQL with
# DAVSHARE_DATABASE_URL (see compose.yaml and docs/deploy.md).
#   docker build -t davshare .
#   docker run -d -p 5232:5232 -v davshare-data:/data \
#     -e DAVSHARE_PUBLIC_URL=https://dav.example.com davshare
#   docker exec -it <container> davshare init you@example.com
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY plugins ./plugins
RUN pip install --no-cache-dir ".[postgresql]" \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin davshare \
    && mkdir -p /data && chown davshare:davshare /data
# Settings come from the environment (DAVSHARE_<SECTION>_<OPTION>); no file is needed.
ENV DAVSHARE_SERVER_HOST=0.0.0.0 \
    DAVSHARE_SERVER_PORT=5232 \
    DAVSHARE_DATA_DIR=/data \
    DAVSHARE_PUBLIC_URL=http://localhost:5232 \
    PYTHONUNBUFFERED=1
USER davshare
VOLUME /data
EXPOSE 5232
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:5232/.davshare/health', timeout=4).status != 200)"]
CMD ["davshare", "serve"]
